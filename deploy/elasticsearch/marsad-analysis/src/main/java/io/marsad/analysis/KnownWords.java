package io.marsad.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.analysis.Analysis;

/** The stemmer's known-word list: the one shipped in the jar plus what an index adds in its settings. */
final class KnownWords {

    static final String RESOURCE = "protected_words.txt";

    private static volatile Set<String> defaults;

    private KnownWords() {}

    /** The shipped list, folded; read once per node. */
    static Set<String> defaults() {
        Set<String> words = defaults;
        if (words == null) {
            words = Set.copyOf(readResource());
            defaults = words;
        }
        return words;
    }

    /**
     * Settings: {@code protected_words} (list), {@code protected_words_path} (file under the
     * config directory, one word a line, # comments) and {@code default_protected_words}
     * (boolean, default true; false drops the shipped list).
     */
    static Set<String> fromSettings(Environment env, Settings settings) {
        Set<String> words = new HashSet<>();
        if (settings.getAsBoolean("default_protected_words", true)) {
            words.addAll(defaults());
        }
        addFolded(words, settings.getAsList("protected_words"));
        if (settings.get("protected_words_path") != null) {
            addFolded(words, Analysis.getWordList(env, settings, "protected_words_path", "protected_words", true));
        }
        return Set.copyOf(words);
    }

    private static Set<String> readResource() {
        Set<String> words = new HashSet<>();
        try (InputStream in = KnownWords.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("marsad-analysis jar is missing " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                addFolded(words, List.of(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the marsad-analysis jar", e);
        }
        return words;
    }

    private static void addFolded(Set<String> into, Collection<String> lines) {
        for (String line : lines) {
            String word = line.strip();
            if (word.isEmpty() || word.startsWith("#")) {
                continue;
            }
            into.add(ArabicFolder.fold(word));
        }
    }
}
