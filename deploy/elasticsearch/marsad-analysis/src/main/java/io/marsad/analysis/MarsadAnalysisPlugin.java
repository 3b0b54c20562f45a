package io.marsad.analysis;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter.StemmerOverrideMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers Marsad's Arabic analysis components. Every name starts with {@code marsad_}
 * so the plugin can sit next to the analysis-common module of a full distribution.
 *
 * <p>Components that need no settings can be named directly in a mapping or an
 * {@code _analyze} call; the ones that need settings ({@code marsad_keyword_marker},
 * {@code marsad_synonym_graph}, {@code marsad_stemmer_override}) must be defined in
 * the index settings (or inline in {@code _analyze}) with their {@code type}.
 */
public class MarsadAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put("marsad_arabic_fold", (indexSettings, env, name, settings) ->
            new Normalizing(name, settings, ArabicFoldFilter::new));
        filters.put("marsad_arabic_stem", (indexSettings, env, name, settings) -> {
            ArabicLightStemmer stemmer = new ArabicLightStemmer(KnownWords.fromSettings(env, settings));
            return new Plain(name, settings, in -> new ArabicLightStemFilter(in, stemmer));
        });
        filters.put("marsad_arabic_stop", (indexSettings, env, name, settings) -> {
            CharArraySet stop = ArabicStopWords.foldedWith(settings.getAsList("stopwords"));
            return new Plain(name, settings, in -> new StopFilter(in, stop));
        });
        filters.put("marsad_lucene_arabic_normalization", (indexSettings, env, name, settings) ->
            new Normalizing(name, settings, ArabicNormalizationFilter::new));
        filters.put("marsad_lucene_arabic_stem", (indexSettings, env, name, settings) ->
            new Plain(name, settings, ArabicStemFilter::new));
        filters.put("marsad_decimal_digit", (indexSettings, env, name, settings) ->
            new Normalizing(name, settings, DecimalDigitFilter::new));
        filters.put("marsad_keyword_marker", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            List<String> keywords = settings.getAsList("keywords");
            if (keywords.isEmpty()) {
                throw new IllegalArgumentException("[" + name + "] of type marsad_keyword_marker needs [keywords]");
            }
            CharArraySet set = CharArraySet.unmodifiableSet(new CharArraySet(keywords, false));
            return new Plain(name, settings, in -> new SetKeywordMarkerFilter(in, set));
        }));
        filters.put("marsad_stemmer_override", requiresAnalysisSettings((indexSettings, env, name, settings) -> {
            StemmerOverrideMap map = parseOverrides(name, settings.getAsList("rules"));
            return new Plain(name, settings, in -> new StemmerOverrideFilter(in, map));
        }));
        filters.put("marsad_synonym_graph", requiresAnalysisSettings((indexSettings, env, name, settings) ->
            new SynonymGraphFilterFactory(env, name, settings)));
        return filters;
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of("marsad_html_strip", (indexSettings, env, name, settings) -> {
            Set<String> escaped = Set.copyOf(settings.getAsList("escaped_tags"));
            return new AbstractCharFilterFactory(name) {
                @Override
                public Reader create(Reader reader) {
                    return new HTMLStripCharFilter(reader, escaped.isEmpty() ? null : escaped);
                }
            };
        });
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
            "marsad_keyword", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, KeywordTokenizer::new),
            "marsad_whitespace", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, WhitespaceTokenizer::new)
        );
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "marsad_arabic", (indexSettings, env, name, settings) -> new Fixed(name, settings,
                new MarsadArabicAnalyzer(
                    ArabicStopWords.foldedWith(settings.getAsList("stopwords")),
                    new ArabicLightStemmer(KnownWords.fromSettings(env, settings)))),
            "marsad_arabic_exact", (indexSettings, env, name, settings) -> new Fixed(name, settings,
                new MarsadArabicAnalyzer(null, null)),
            // What the server's own "arabic" analyzer is, with the same two optional settings.
            "marsad_builtin_arabic", (indexSettings, env, name, settings) -> new Fixed(name, settings,
                new ArabicAnalyzer(
                    Analysis.parseStopWords(env, settings, ArabicAnalyzer.getDefaultStopSet()),
                    Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)))
        );
    }

    /** Lines such as {@code "قتلي => قتيل"} or {@code "a, b => c"}. */
    static StemmerOverrideMap parseOverrides(String name, List<String> rules) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("[" + name + "] of type marsad_stemmer_override needs [rules]");
        }
        StemmerOverrideFilter.Builder builder = new StemmerOverrideFilter.Builder(false);
        for (String rule : rules) {
            String[] sides = rule.split("=>");
            if (sides.length != 2 || sides[1].isBlank()) {
                throw new IllegalArgumentException("[" + name + "] rule [" + rule + "] is not of the form \"a => b\"");
            }
            String to = sides[1].strip();
            for (String from : sides[0].split(",")) {
                if (from.isBlank() == false) {
                    builder.add(from.strip(), to);
                }
            }
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw new IllegalArgumentException("[" + name + "] cannot build its overrides: " + e.getMessage(), e);
        }
    }

    /** A filter with no special powers. */
    private static final class Plain extends AbstractTokenFilterFactory {
        private final Function<TokenStream, TokenStream> wrap;

        Plain(String name, Settings settings, Function<TokenStream, TokenStream> wrap) {
            super(name, settings);
            this.wrap = wrap;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrap.apply(tokenStream);
        }
    }

    /**
     * A per-character filter: also allowed in keyword normalizers, and applied to
     * wildcard/prefix/fuzzy query terms ({@link NormalizingTokenFilterFactory#normalize}
     * delegates to {@link #create}).
     */
    private static final class Normalizing extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final Function<TokenStream, TokenStream> wrap;

        Normalizing(String name, Settings settings, Function<TokenStream, TokenStream> wrap) {
            super(name, settings);
            this.wrap = wrap;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrap.apply(tokenStream);
        }
    }

    /** Hands out one analyzer instance built up front. */
    private static final class Fixed extends AbstractIndexAnalyzerProvider<Analyzer> {
        private final Analyzer analyzer;

        Fixed(String name, Settings settings, Analyzer analyzer) {
            super(name, settings);
            this.analyzer = analyzer;
        }

        @Override
        public Analyzer get() {
            return analyzer;
        }
    }
}
