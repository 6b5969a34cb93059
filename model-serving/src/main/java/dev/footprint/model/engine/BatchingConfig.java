package dev.footprint.model.engine;

/**
 * @param threads        inference threads (INFERENCE_THREADS)
 * @param maxBatchRows   most instances in one session call; 1 turns batching off (BATCH_MAX_SIZE, BATCHING_ENABLED)
 * @param maxWaitNanos   how long a thread may wait for a forming batch to grow (BATCH_MAX_WAIT_MICROS)
 * @param queueCapacity  requests that may wait; past it, 503 at once (BATCH_QUEUE_CAPACITY)
 * @param timeoutNanos   a request still queued after this is answered 503 instead of run (REQUEST_TIMEOUT_MS)
 */
public record BatchingConfig(int threads, int maxBatchRows, long maxWaitNanos, int queueCapacity, long timeoutNanos) {
}
