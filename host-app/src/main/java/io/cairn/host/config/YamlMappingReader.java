package io.cairn.host.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a YAML file whose top level is a mapping, keeping the values as YAML typed them (text,
 * numbers, booleans, lists, nested mappings): typing is left to the option declarations.
 */
public final class YamlMappingReader {

    // Duplicate keys are refused: with two `pool:` lines an operator cannot tell which one wins.
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private YamlMappingReader() {
    }

    /**
     * @return the top-level mapping, in file order; empty for an empty file
     * @throws ConfigurationException naming the file (and line) when it cannot be read, is not YAML,
     *         or its top level is not a mapping
     */
    public static Map<String, Object> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(new ConfigurationProblem(file, "", "file does not exist"));
        } catch (IOException e) {
            throw new ConfigurationException(new ConfigurationProblem(file, "", "cannot be read: " + e.getMessage()));
        }
        if (text.isBlank()) {
            return Map.of();
        }
        Object document;
        try {
            document = YAML.readValue(text, new TypeReference<Object>() { });
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(new ConfigurationProblem(file, "", "is not valid YAML"
                    + where(e.getLocation()) + ": " + e.getOriginalMessage()));
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> mapping)) {
            throw new ConfigurationException(new ConfigurationProblem(file, "",
                    "must be a mapping of keys to values at the top level"));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        mapping.forEach((key, value) -> result.put(String.valueOf(key), value));
        return result;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
