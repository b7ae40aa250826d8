package dev.twofold.webhook.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON for reviews: reads request records while streaming (unknown fields, such as the reviewed {@code object}, are
 * skipped without being materialized) and turns every parse failure into a {@link RequestRejected} with a message
 * that names the problem; writes responses with nulls left out.
 */
public final class JsonCodec {

    private final ObjectMapper mapper;
    private final ObjectWriter writer;
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    public JsonCodec() {
        // Jackson's default buffer pool is per thread, and every exchange runs on a new virtual thread: without a
        // shared pool each request allocates its parse and write buffers afresh (~40% of all allocation).
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
        mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // the source is a network stream: never echo it into exception messages
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new JavaTimeModule())
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.NON_NULL))
                .build();
        writer = mapper.writer();
    }

    /**
     * Reads one JSON object of {@code type} from {@code body}.
     *
     * @param what the document's name for messages, e.g. {@code AdmissionReview}
     * @throws RequestRejected (400) when the body is empty, not JSON, not an object, or has fields of the wrong type
     * @throws IOException when reading the stream fails (including {@link BodyTooLarge})
     */
    public <T> T read(InputStream body, Class<T> type, String what) throws RequestRejected, IOException {
        ObjectReader reader = readers.computeIfAbsent(type, mapper::readerFor);
        try (JsonParser parser = reader.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw RequestRejected.badRequest("malformed_json", "request body is empty; expected a JSON " + what);
            }
            if (first != JsonToken.START_OBJECT) {
                throw RequestRejected.badRequest("malformed_json", "request body is not a JSON object; expected a "
                        + what);
            }
            return reader.readValue(parser);
        } catch (JsonParseException e) {
            boolean truncated = e instanceof JsonEOFException
                    || e.getOriginalMessage().startsWith("Unexpected end-of-input");
            throw RequestRejected.badRequest("malformed_json", "request body is not valid JSON"
                    + (truncated ? ": it ends early" : "") + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw RequestRejected.badRequest("malformed_json", "request body has content after the JSON object");
            }
            throw RequestRejected.badRequest("invalid_review", "field " + path(e.getPath()) + " of the " + what
                    + " has the wrong type");
        } catch (JsonMappingException e) {
            throw RequestRejected.badRequest("invalid_review", "request body is not a valid " + what
                    + (e.getPath().isEmpty() ? "" : " (at field " + path(e.getPath()) + ")"));
        }
    }

    /** {@code value} as JSON bytes; failing to serialize our own records is a bug, not a client error. */
    public byte[] write(Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as one line of JSON text. */
    public String writeLine(Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The error body of every non-200 answer: {@code {"error": "..."}}. */
    public byte[] error(String message) {
        return write(Map.of("error", message));
    }

    /** {@code request.userInfo.groups[1]}. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return OneLine.quote(out.toString());
    }
}
