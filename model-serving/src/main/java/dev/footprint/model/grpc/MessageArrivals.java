package dev.footprint.model.grpc;

import io.vertx.core.Context;

import java.util.ArrayList;

/**
 * Calls whose head was read in this turn of their event loop, looked at once the turn's reads are
 * done: a call whose message came with its head (nearly every unary call) has it by then, and the
 * rest must wait for it within bounds (UnaryCall#awaitMessage). One task per turn, however many
 * calls a read brought, where a task per call cost a queue entry and a context switch each.
 * Used on its event loop only.
 */
final class MessageArrivals {
  private final Context loop;
  private ArrayList<UnaryCall> arrived = new ArrayList<>();
  private ArrayList<UnaryCall> spare = new ArrayList<>();

  MessageArrivals(Context loop) {
    this.loop = loop;
  }

  void add(UnaryCall call) {
    if (arrived.isEmpty()) {
      loop.runOnContext(ignored -> checkAll());
    }
    arrived.add(call);
  }

  private void checkAll() {
    ArrayList<UnaryCall> calls = arrived;
    arrived = spare;
    spare = calls;
    for (int i = 0; i < calls.size(); i++) {
      calls.get(i).awaitMessage();
    }
    calls.clear();
  }
}
