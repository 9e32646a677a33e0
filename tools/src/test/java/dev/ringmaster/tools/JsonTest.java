package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest
{
    @Test
    void escapesEverythingJsonRequires()
    {
        final String nasty = "quote \" backslash \\ newline \n tab \t cr \r nul \u0000 bell \u0007 ls \u2028 é";

        final String doc = new Json().beginObject().field("s", nasty).endObject().toString();

        assertThat(doc).doesNotContain("\n").doesNotContain("\u0000");
        assertThat(MiniJson.parse(doc)).isEqualTo(Map.of("s", nasty));
    }

    @Test
    void placesCommasInNestedContainers()
    {
        final Json j = new Json().beginObject()
            .field("a", 1)
            .name("b").beginArray().value(1).value("x").beginObject().field("c", true).endObject().beginArray().endArray().endArray()
            .name("d").beginObject().endObject()
            .field("e", Double.NaN)
            .field("f", 0.25)
            .endObject();

        assertThat(j.toString()).isEqualTo("{\"a\":1,\"b\":[1,\"x\",{\"c\":true},[]],\"d\":{},\"e\":null,\"f\":0.250000}");
        assertThat(MiniJson.parse(j.toString())).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>)MiniJson.parse(j.toString())).get("b")).isInstanceOf(List.class);
    }
}
