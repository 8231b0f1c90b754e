// bench/BareVertx.java: a calibration server for bench/read-path.sh --bare. Not part of Rekap.
//
// Serves one document from memory with the Vert.x and Netty that Rekap ships, with nothing else in the way: no
// vertx-web Router, headers prepared once, the body in a Buffer made once (direct memory, written as a slice), and
// the HTTP server deployed on N event loops. It answers the same bytes and the same headers as Rekap for the one path,
// so it shows what the framework itself reaches on this machine: an upper bound for Rekap's read path.
//
// Run with the source launcher on Rekap's jar (JDK >= 21):
//   java -cp target/rekap.jar bench/BareVertx.java PORT EVENT_LOOPS PATH IDENTITY_FILE GZIP_FILE CONTENT_TYPE CACHE_CONTROL
import io.netty.buffer.Unpooled;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

public class BareVertx {
    static final CharSequence CONTENT_TYPE = HttpHeaders.CONTENT_TYPE, CACHE_CONTROL = HttpHeaders.CACHE_CONTROL,
            VARY = HttpHeaders.VARY, ETAG = HttpHeaders.ETAG, CONTENT_ENCODING = HttpHeaders.CONTENT_ENCODING,
            DATE = HttpHeaders.DATE, ACCEPT_ENCODING_VALUE = HttpHeaders.createOptimized("Accept-Encoding"),
            GZIP = HttpHeaders.createOptimized("gzip");
    static volatile CharSequence date = now();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]), loops = Integer.parseInt(args[1]);
        String path = args[2];
        byte[] identity = Files.readAllBytes(Path.of(args[3])), gzip = Files.readAllBytes(Path.of(args[4]));
        CharSequence type = HttpHeaders.createOptimized(args[5]), cache = HttpHeaders.createOptimized(args[6]);
        String tag = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(identity), 0, 12);
        CharSequence etag = HttpHeaders.createOptimized("\"" + tag + "\""), etagGz = HttpHeaders.createOptimized("\"" + tag + "-gz\"");
        Buffer idBody = direct(identity), gzBody = direct(gzip);

        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true))
                .withTransport(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO).build();
        vertx.setPeriodic(1000, id -> date = now());
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setIdleTimeout(60))
                        .requestHandler((HttpServerRequest req) -> {
                            if (!req.path().equals(path)) {
                                req.response().setStatusCode(404).end();
                                return;
                            }
                            String ae = req.getHeader(ACCEPT_ENCODING_VALUE);
                            boolean gz = ae != null && ae.contains("gzip");
                            req.response().headers()
                                    .set(DATE, date).set(CONTENT_TYPE, type).set(CACHE_CONTROL, cache)
                                    .set(VARY, ACCEPT_ENCODING_VALUE).set(ETAG, gz ? etagGz : etag);
                            if (gz) req.response().headers().set(CONTENT_ENCODING, GZIP);
                            req.response().end(gz ? gzBody : idBody);
                        }).listen();
            }
        }, new DeploymentOptions().setInstances(loops)).await();
        System.err.println("BareVertx serving " + path + " on 127.0.0.1:" + port + " with " + loops + " event loop(s)");
    }

    static Buffer direct(byte[] bytes) {
        return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)));
    }

    static CharSequence now() {
        return HttpHeaders.createOptimized(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }
}
