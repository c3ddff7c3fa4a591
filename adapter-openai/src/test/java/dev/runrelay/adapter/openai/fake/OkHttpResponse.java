package dev.runrelay.adapter.openai.fake;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponse;
import java.io.InputStream;

/** A 200 with no headers and an empty body: the response a parsed stream event is said to have come in. */
public final class OkHttpResponse implements HttpResponse {

    public static final HttpResponse OK = new OkHttpResponse();

    private OkHttpResponse() {}

    @Override
    public int statusCode() {
        return 200;
    }

    @Override
    public Headers headers() {
        return Headers.builder().build();
    }

    @Override
    public InputStream body() {
        return InputStream.nullInputStream();
    }

    @Override
    public void close() {}
}
