package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.ServerFrame.EndFrame;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;

/**
 * What the WebSocket adapter tells an operator: a log line and a counter for every error frame and every
 * socket the server closes, gauges of open sockets and running streams, runs by final status, and each
 * stream as one Micrometer {@link Observation} (a timer, and a span once a tracing bridge is present).
 *
 * <p>Every tag takes its values from a closed set, so the number of series stays bounded:
 * <ul>
 *   <li>{@value #ERRORS}{@code {code}}: error frames sent, by code ({@code invalid_json}, {@code frame_too_large},
 *       {@code too_many_streams}, {@code slow_consumer}, {@code shutting_down}, … and the domain's codes)</li>
 *   <li>{@value #CLOSES}{@code {code, reason}}: sockets the server closed ({@code 1009 message_too_big},
 *       {@code 4408 idle_timeout}, {@code 1001 going_away}, {@code 1011 server_error}, other codes {@code protocol_error})</li>
 *   <li>{@value #CONNECTIONS} and {@value #STREAMS}: gauges of the sockets open and the streams running now</li>
 *   <li>{@value #RUNS}{@code {status, error}}: streams that ended, by the run's last status ({@code completed},
 *       {@code failed}, …, {@code none} when it was never known) and the error code ({@code none}); a stream whose
 *       socket went away before its {@code end} counts as {@code error=client_gone}</li>
 *   <li>observation {@value #STREAM_OBSERVATION}: low-cardinality {@code operation}, {@code status}, {@code error};
 *       high-cardinality {@code request.id}, {@code thread.id}, {@code run.id}</li>
 * </ul>
 * The log lines about a stream are written inside its observation's scope, so with a tracing bridge they carry
 * its trace id.
 */
public final class RunsWebSocketMetrics {

    static final String ERRORS = "runrelay.websocket.errors";
    static final String CLOSES = "runrelay.websocket.closes";
    static final String CONNECTIONS = "runrelay.websocket.connections";
    static final String STREAMS = "runrelay.websocket.streams";
    static final String RUNS = "runrelay.runs";
    static final String STREAM_OBSERVATION = "runrelay.run.stream";

    static final String NONE = "none";
    static final String CLIENT_GONE = "client_gone";

    private static final Logger log = LoggerFactory.getLogger(RunsWebSocketMetrics.class);

    /** What a client did that the protocol refused or the server could not keep up with: worth a line at INFO. */
    private static final Set<String> TRANSPORT_CODES = Set.of(ProtocolException.INVALID_JSON,
            ProtocolException.UNKNOWN_TYPE, ProtocolException.INVALID_REQUEST, ProtocolException.FRAME_TOO_LARGE,
            ProtocolException.TOO_MANY_STREAMS, ProtocolException.SLOW_CONSUMER, ProtocolException.SHUTTING_DOWN);

    /** A request id as the client sent it may be anything; the log gets a short, printable version. */
    private static final Pattern UNPRINTABLE = Pattern.compile("[^A-Za-z0-9_.:-]");

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final AtomicInteger runningStreams = new AtomicInteger();

    public RunsWebSocketMetrics(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters;
        this.observations = observations;
        Gauge.builder(STREAMS, runningStreams, AtomicInteger::get)
                .description("WebSocket streams of runs running now")
                .register(meters);
    }

    /**
     * Registers the gauge of open sockets, read from whoever keeps them. Held strongly: a gauge keeps its
     * object weakly, and the supplier (a method reference) has no other owner, so it would read NaN after a GC.
     */
    void watchConnections(IntSupplier openConnections) {
        Gauge.builder(CONNECTIONS, openConnections, IntSupplier::getAsInt)
                .strongReference(true)
                .description("WebSocket connections open now")
                .register(meters);
    }

    MeterRegistry meters() {
        return meters;
    }

    ObservationRegistry observations() {
        return observations;
    }

    /** A request refused outside any stream (bad frame, too many streams, shutting down, a failed call). */
    void refused(String socketId, String requestId, String code) {
        errorSent(socketId, requestId, code);
    }

    /** The server closes a socket. */
    void closed(String socketId, CloseStatus status) {
        String reason = reason(status);
        Counter.builder(CLOSES)
                .description("WebSocket connections closed by the server, by close code")
                .tag("code", Integer.toString(status.getCode()))
                .tag("reason", reason)
                .register(meters)
                .increment();
        if (status.getCode() == CloseStatus.GOING_AWAY.getCode()) {
            log.debug("Socket {} closed by the server: {} {}", socketId, status.getCode(), reason);
        } else {
            log.info("Socket {} closed by the server: {} {}", socketId, status.getCode(), reason);
        }
    }

    /** Starts watching one stream: call {@link StreamWatch#frame} for each frame and {@link StreamWatch#finish} once. */
    StreamWatch stream(String socketId, ClientRequest.Streaming request) {
        return new StreamWatch(socketId, request);
    }

    private void errorSent(String socketId, String requestId, String code) {
        Counter.builder(ERRORS)
                .description("Error frames sent to WebSocket clients, by code")
                .tag("code", code)
                .register(meters)
                .increment();
        if (ProtocolException.SLOW_CONSUMER.equals(code)) {
            log.warn("Socket {} request {}: {}", socketId, printable(requestId), code);
        } else if (TRANSPORT_CODES.contains(code)) {
            log.info("Socket {} request {}: {}", socketId, printable(requestId), code);
        } else {
            // The provider's failures are logged where they are translated (the error-handling aspect).
            log.debug("Socket {} request {}: {}", socketId, printable(requestId), code);
        }
    }

    private static String reason(CloseStatus status) {
        return switch (status.getCode()) {
            case 1001 -> "going_away";
            case 1009 -> "message_too_big";
            case 1011 -> "server_error";
            case 4408 -> "idle_timeout";
            default -> "protocol_error";
        };
    }

    private static String printable(String requestId) {
        if (requestId == null) {
            return "-";
        }
        String shortened = requestId.length() > 64 ? requestId.substring(0, 64) : requestId;
        return UNPRINTABLE.matcher(shortened).replaceAll("?");
    }

    private static String operation(ClientRequest.Streaming request) {
        return switch (request) {
            case ClientRequest.StartRun ignored -> "run";
            case ClientRequest.StartThreadAndRun ignored -> "thread_and_run";
            case ClientRequest.SubmitToolOutputs ignored -> "submit_tool_outputs";
        };
    }

    /** One stream: its observation, its error frames, its final status. */
    final class StreamWatch {

        private final String socketId;
        private final String requestId;
        private final Observation observation;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile EndFrame end;

        private StreamWatch(String socketId, ClientRequest.Streaming request) {
            this.socketId = socketId;
            this.requestId = request.requestId();
            this.observation = Observation.createNotStarted(STREAM_OBSERVATION, observations)
                    .contextualName("run stream")
                    .lowCardinalityKeyValue("operation", operation(request))
                    .highCardinalityKeyValue("request.id", printable(requestId))
                    .start();
            runningStreams.incrementAndGet();
        }

        /**
         * Puts this stream's Observation into its Reactor context under Micrometer's key
         * ({@link ObservationThreadLocalAccessor#KEY}), so code along the stream (the error-handling aspect)
         * can write its log lines in the observation's scope, with its trace id.
         */
        Context inContext(Context context) {
            return context.put(ObservationThreadLocalAccessor.KEY, observation);
        }

        void frame(ServerFrame frame) {
            switch (frame) {
                case ErrorFrame error -> observation.scoped(() -> errorSent(socketId, requestId, error.code()));
                case EndFrame ended -> end = ended;
                default -> { }
            }
        }

        void finish(SignalType signal) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            runningStreams.decrementAndGet();
            EndFrame ended = end;
            String status = ended == null || ended.status() == null ? NONE : ended.status();
            String error = ended == null ? CLIENT_GONE : ended.error() == null ? NONE : ended.error();
            Counter.builder(RUNS)
                    .description("Streamed runs that ended, by final status and error code")
                    .tag("status", status)
                    .tag("error", error)
                    .register(meters)
                    .increment();
            if (ended != null) {
                if (ended.threadId() != null) {
                    observation.highCardinalityKeyValue("thread.id", ended.threadId());
                }
                if (ended.runId() != null) {
                    observation.highCardinalityKeyValue("run.id", ended.runId());
                }
            }
            observation.lowCardinalityKeyValue("status", status).lowCardinalityKeyValue("error", error);
            observation.scoped(() -> log.debug("Socket {} request {}: stream ended ({}), status {}, error {}",
                    socketId, printable(requestId), signal, status, error));
            observation.stop();
        }
    }
}
