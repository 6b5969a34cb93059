package dev.footprint.model.repository;

import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which loaded versions a poll may retire: a version leaves only once the versions the policy wants
 * in its place serve, whatever order the file system showed the change in.
 *
 * <p>The policy is applied twice. Over every version folder on disk it gives the versions
 * <em>aspired</em> to, including ones not loadable yet (a folder still settling, or one that failed
 * to load); over the loadable ones it gives the versions <em>serving</em> now (all loaded). Each
 * aspired version that does not serve yet is a successor still awaited, and keeps one superseded
 * version (the newest first) serving from memory in its place. So a new version renamed in while
 * the old folder is removed in the same poll leaves the old one serving until the new one is
 * AVAILABLE, and a successor that fails to load never leaves the model with nothing. When nothing
 * on disk is aspired to at all (every version folder removed, a slow copy of the next one not
 * started yet), nothing retires: the model keeps what it serves until a successor serves.
 */
final class Succession {
  private Succession() {
  }

  /**
   * @param onDisk  every version folder found, loadable or not
   * @param serving the versions the policy picked among the loadable ones, all loaded
   * @param loaded  every version loaded now (serving ones and superseded ones)
   * @return the loaded versions to retire now
   */
  static NavigableSet<Long> retirable(VersionPolicy policy, NavigableSet<Long> onDisk, NavigableSet<Long> serving,
                                      NavigableSet<Long> loaded) {
    NavigableSet<Long> aspired = policy.select(onDisk);
    if (aspired.isEmpty()) {
      return new TreeSet<>();
    }
    int awaited = Math.max(0, aspired.size() - serving.size());
    NavigableSet<Long> superseded = new TreeSet<>(loaded);
    superseded.removeAll(serving);
    Iterator<Long> newestFirst = superseded.descendingIterator();
    for (int kept = 0; kept < awaited && newestFirst.hasNext(); kept++) {
      newestFirst.next();
      newestFirst.remove();
    }
    return superseded;
  }
}
