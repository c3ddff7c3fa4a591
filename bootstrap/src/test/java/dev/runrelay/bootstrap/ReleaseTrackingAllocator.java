package dev.runrelay.bootstrap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An unpooled allocator (like Netty's {@code UnpooledByteBufAllocator}, which is final) whose buffers remember where they were freed, and record every release of a buffer
 * already freed (ADR 0029): with a pool, that second release would hand the memory to another buffer while
 * its first owner may still write it; here it is caught with both call sites.
 */
final class ReleaseTrackingAllocator extends AbstractByteBufAllocator {

    /** A release of a freed buffer: where it was freed first, and where it was released again. */
    record DoubleRelease(Throwable freed, Throwable releasedAgain) {}

    final List<DoubleRelease> doubleReleases = new CopyOnWriteArrayList<>();
    final AtomicLong allocated = new AtomicLong();
    final AtomicLong freed = new AtomicLong();

    ReleaseTrackingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        allocated.incrementAndGet();
        return new TrackedDirect(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        allocated.incrementAndGet();
        return new TrackedHeap(this, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private void checkRelease(ByteBuf buffer, Throwable freedAt) {
        if (buffer.refCnt() == 0) {
            doubleReleases.add(new DoubleRelease(freedAt,
                    new Throwable("released again on " + Thread.currentThread().getName())));
        }
    }

    private Throwable freedNow() {
        freed.incrementAndGet();
        return new Throwable("freed on " + Thread.currentThread().getName());
    }

    private static final class TrackedDirect extends UnpooledDirectByteBuf {
        private final ReleaseTrackingAllocator tracker;
        private volatile Throwable freedAt;

        TrackedDirect(ReleaseTrackingAllocator tracker, int initialCapacity, int maxCapacity) {
            super(tracker, initialCapacity, maxCapacity);
            this.tracker = tracker;
        }

        @Override
        public boolean release() {
            return release(1);
        }

        @Override
        public boolean release(int decrement) {
            tracker.checkRelease(this, freedAt);
            return super.release(decrement);
        }

        @Override
        protected void deallocate() {
            freedAt = tracker.freedNow();
            super.deallocate();
        }
    }

    private static final class TrackedHeap extends UnpooledHeapByteBuf {
        private final ReleaseTrackingAllocator tracker;
        private volatile Throwable freedAt;

        TrackedHeap(ReleaseTrackingAllocator tracker, int initialCapacity, int maxCapacity) {
            super(tracker, initialCapacity, maxCapacity);
            this.tracker = tracker;
        }

        @Override
        public boolean release() {
            return release(1);
        }

        @Override
        public boolean release(int decrement) {
            tracker.checkRelease(this, freedAt);
            return super.release(decrement);
        }

        @Override
        protected void deallocate() {
            freedAt = tracker.freedNow();
            super.deallocate();
        }
    }

    /** For a failure message: each double release with both stacks, trimmed to the frames that tell. */
    static String describe(List<DoubleRelease> releases) {
        var text = new StringBuilder();
        for (DoubleRelease release : releases.subList(0, Math.min(3, releases.size()))) {
            text.append("\n--- ").append(release.freed() == null ? "freed: ?" : release.freed().getMessage());
            if (release.freed() != null) {
                appendStack(text, release.freed());
            }
            text.append("\n--- ").append(release.releasedAgain().getMessage());
            appendStack(text, release.releasedAgain());
        }
        return text.toString();
    }

    private static void appendStack(StringBuilder text, Throwable where) {
        StackTraceElement[] stack = where.getStackTrace();
        for (int i = 0; i < Math.min(40, stack.length); i++) {
            text.append("\n    at ").append(stack[i]);
        }
    }
}
