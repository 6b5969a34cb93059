package dev.footprint.model.servable;

import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.MetaGraphDef;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One loaded version of a model, shared by the requests that use it. Reference counted: the
 * repository holds one reference while the version serves, each request one while in flight; the
 * bundle closes when the last is released, so a retired version finishes its requests first.
 */
public final class ServableVersion {
  private final String model;
  private final long version;
  private final SavedModelBundle bundle;
  private final Map<String, ServingSignature> signatures;
  private final Map<String, String> unservable;
  private final AtomicInteger references = new AtomicInteger(1);
  private final Consumer<ServableVersion> onLastRelease;

  ServableVersion(String model, long version, SavedModelBundle bundle, Map<String, ServingSignature> signatures,
                  Map<String, String> unservable, Consumer<ServableVersion> onLastRelease) {
    this.model = model;
    this.version = version;
    this.bundle = bundle;
    this.signatures = Map.copyOf(signatures);
    this.unservable = Map.copyOf(unservable);
    this.onLastRelease = onLastRelease;
  }

  public String model() {
    return model;
  }

  public long version() {
    return version;
  }

  /** The signature served under {@code key}, or null. */
  public ServingSignature signature(String key) {
    return signatures.get(key);
  }

  public Map<String, ServingSignature> signatures() {
    return signatures;
  }

  /** Why a signature of the SavedModel cannot be served here, or null if it can or does not exist. */
  public String whyUnservable(String key) {
    return unservable.get(key);
  }

  public MetaGraphDef metaGraphDef() {
    return bundle.metaGraphDef();
  }

  /** Takes a reference for one request; false once the version has been released for good. */
  public boolean retain() {
    while (true) {
      int current = references.get();
      if (current == 0) {
        return false;
      }
      if (references.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Gives back {@code count} references; the last one closes the bundle. */
  public void release(int count) {
    int left = references.addAndGet(-count);
    if (left == 0) {
      onLastRelease.accept(this);
    } else if (left < 0) {
      throw new IllegalStateException(this + " released more often than retained");
    }
  }

  public int references() {
    return references.get();
  }

  /** Closes the TensorFlow session and graph. Only once no request holds a reference. */
  public void close() {
    bundle.close();
  }

  @Override
  public String toString() {
    return model + " version " + version;
  }
}
