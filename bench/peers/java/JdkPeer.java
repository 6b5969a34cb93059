import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference peer for the head-to-head runs: the converter's contract on nothing but the JDK
 * ({@code com.sun.net.httpserver}), run with the converter's JVM flags. What the JVM costs without a
 * framework: set beside converter-vertx, the difference is what Vert.x, Netty and Micrometer cost.
 * The JDK has no JSON parser, so the body must be exactly {@code {"fahrenheit": <number>}}.
 */
public final class JdkPeer {
  private static final int MAX_BODY = 256 * 1024;
  private static final Pattern BODY = Pattern.compile(
      "\\s*\\{\\s*\"fahrenheit\"\\s*:\\s*(-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)\\s*}\\s*");
  private static final String APP_ID = appId();

  private JdkPeer() {
  }

  private static String appId() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public static void main(String[] args) throws IOException {
    String portVariable = System.getenv().getOrDefault("HTTP_PORT", "8091");
    int port;
    try {
      port = Integer.parseInt(portVariable);
    } catch (NumberFormatException e) {
      System.err.println("HTTP_PORT=\"" + portVariable + "\" is invalid");
      System.exit(2);
      return;
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext("/convert", JdkPeer::convert);
    server.createContext("/health/ready", exchange -> send(exchange, 200, "{\"status\":\"UP\"}"));
    // No executor: the server's one dispatcher thread runs every exchange, as one event loop would.
    server.setExecutor(null);
    server.start();
    System.out.println("jdk-peer ready port=" + port + " app_id=" + APP_ID);
  }

  private static void convert(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      send(exchange, 405, "{\"error\":\"method not allowed\"}");
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      send(exchange, 413, "{\"error\":\"request body too large\"}");
      return;
    }
    Matcher matcher = BODY.matcher(new String(body, StandardCharsets.UTF_8));
    double celsius = matcher.matches() ? (Double.parseDouble(matcher.group(1)) - 32) * 5 / 9 : Double.NaN;
    if (!Double.isFinite(celsius)) {
      send(exchange, 400, "{\"error\":\"Invalid request data\"}");
      return;
    }
    send(exchange, 200, "{\"celsius\":" + celsius + ",\"app_id\":\"" + APP_ID + "\"}");
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
