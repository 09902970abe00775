package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import org.junit.jupiter.api.Test;

class OptionDocsTest {

    private static final OptionDefinitions OPTIONS = OptionDefinitions.of(
            OptionDefinition.builder("pool", OptionType.STRING).required().doc("Pool of the backups.").build(),
            OptionDefinition.builder("transfer", OptionType.ENUM).allowedValues("native", "rbd-cli").defaultValue("native")
                    .doc("How data moves: a | b.").build(),
            OptionDefinition.builder("chunk_size", OptionType.SIZE).defaultValue("128MiB").unit("bytes").minimum(65536)
                    .maximum(1L << 30).doc("Data in flight.").build(),
            OptionDefinition.builder("retries", OptionType.INTEGER).defaultValue("3").minimum(0).doc("Retries.").build(),
            OptionDefinition.builder("key", OptionType.STRING).secret().defaultValue("abc").doc("A key.").build());

    @Test
    void markdownTableEscapesPipesAndHidesSecretDefaults() {
        assertEquals(""
                + "| option | type | default | description |\n"
                + "| --- | --- | --- | --- |\n"
                + "| `pool` | string | `required` | Pool of the backups. |\n"
                + "| `transfer` | enum: native \\| rbd-cli | `native` | How data moves: a \\| b. |\n"
                + "| `chunk_size` | size (bytes) | `128MiB` | Data in flight. Range: 64KiB to 1GiB. |\n"
                + "| `retries` | integer | `3` | Retries. At least 0. |\n"
                + "| `key` | string | `[hidden]` | A key. (Secret.) |\n",
                OptionDocs.markdown(OPTIONS));
    }
}
