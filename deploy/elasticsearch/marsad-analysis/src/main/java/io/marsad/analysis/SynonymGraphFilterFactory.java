package io.marsad.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

/**
 * {@code marsad_synonym_graph}: Lucene's SynonymGraphFilter with rules in Solr format.
 *
 * <p>Settings: {@code synonyms} (list of lines such as {@code "قنفوذه, قنفوده"} or
 * {@code "a, b => c"}), or {@code synonyms_path} (file under the config directory);
 * {@code expand} (default true); {@code search_time_only} (default false; true lets
 * the filter appear only in a search analyzer, which is where a graph filter belongs).
 *
 * <p>The rules are analyzed by the tokenizer, char filters and filters that come
 * before this filter in the analyzer, so a rule written with ة or أ still matches
 * terms that marsad_arabic_fold has already folded. The server builds that chain
 * and hands it over in {@link #getChainAwareTokenFilterFactory}.
 */
final class SynonymGraphFilterFactory extends AbstractTokenFilterFactory {

    private final Environment env;
    private final Settings settings;
    private final boolean expand;
    private final AnalysisMode mode;

    SynonymGraphFilterFactory(Environment env, String name, Settings settings) {
        super(name, settings);
        this.env = env;
        this.settings = settings;
        this.expand = settings.getAsBoolean("expand", true);
        this.mode = settings.getAsBoolean("search_time_only", false) ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
        if (settings.get("synonyms_path") == null && settings.getAsList("synonyms").isEmpty()) {
            throw new IllegalArgumentException("[" + name + "] of type marsad_synonym_graph needs [synonyms] or [synonyms_path]");
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        throw new IllegalStateException("[" + name() + "] is built per analyzer; the server should have called getChainAwareTokenFilterFactory");
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return mode;
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        TokenFilterFactory[] before = previousTokenFilters.stream()
            .map(TokenFilterFactory::getSynonymFilter)
            .toArray(TokenFilterFactory[]::new);
        Analyzer ruleAnalyzer = new CustomAnalyzer(tokenizer, charFilters.toArray(new CharFilterFactory[0]), before);
        SynonymMap map = parse(ruleAnalyzer);
        String name = name();
        AnalysisMode mode = this.mode;
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                return map.fst == null ? tokenStream : new SynonymGraphFilter(tokenStream, map, false);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                throw new IllegalArgumentException("token filter [" + name + "] cannot be used to parse synonyms of another synonym filter");
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return mode;
            }
        };
    }

    private SynonymMap parse(Analyzer ruleAnalyzer) {
        SolrSynonymParser parser = new SolrSynonymParser(true, expand, ruleAnalyzer);
        try (Reader rules = rulesReader()) {
            parser.parse(rules);
            return parser.build();
        } catch (ParseException | IllegalArgumentException e) {
            // SolrSynonymParser says which line; the cause says what is wrong with it.
            String why = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
            throw new IllegalArgumentException("[" + name() + "] has a synonym rule it cannot use: " + e.getMessage() + why, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("[" + name() + "] cannot read its synonyms: " + e.getMessage(), e);
        }
    }

    private Reader rulesReader() {
        if (settings.get("synonyms_path") != null) {
            return Analysis.getReaderFromFile(env, settings.get("synonyms_path"), "synonyms_path");
        }
        return new StringReader(String.join("\n", settings.getAsList("synonyms")));
    }
}
