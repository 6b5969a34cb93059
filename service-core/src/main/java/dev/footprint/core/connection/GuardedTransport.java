package dev.footprint.core.connection;

import io.netty.bootstrap.ServerBootstrap;
import io.vertx.core.impl.transports.EpollTransport;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;

/**
 * Vert.x's own transport (epoll where available and wanted, else NIO), with the accept gate put on
 * every listening socket it opens: the transport is where Vert.x lets a listening socket be set up.
 */
final class GuardedTransport {
  private GuardedTransport() {
  }

  static Transport create(boolean preferNative, AcceptGate gate) {
    Transport native_ = preferNative ? Transport.nativeTransport() : null;
    if (native_ != null && native_.available() && "epoll".equals(native_.name())) {
      return new TransportInternal("epoll", true, null, new EpollTransport() {
        @Override
        public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
          super.configure(options, domainSocket, bootstrap);
          bootstrap.handler(gate);
        }
      });
    }
    return new TransportInternal("nio", true, null, new NioTransport() {
      @Override
      public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        super.configure(options, domainSocket, bootstrap);
        bootstrap.handler(gate);
      }
    });
  }
}
