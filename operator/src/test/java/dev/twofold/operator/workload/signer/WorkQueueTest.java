package dev.twofold.operator.workload.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void different_keys_are_handled_at_the_same_time() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(2);
        try (WorkQueue queue = new WorkQueue("test", 2, key -> {
            both.countDown();
            try {
                both.await(5, TimeUnit.SECONDS); // returns at once only if the other key runs meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        })) {
            long started = System.nanoTime();
            queue.add("a", Duration.ZERO);
            queue.add("b", Duration.ZERO);

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void a_key_queued_while_it_runs_runs_again_afterwards_never_twice_at_once() throws Exception {
        AtomicInteger running = new AtomicInteger();
        List<Integer> overlaps = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRun = new CountDownLatch(1);
        try (WorkQueue queue = new WorkQueue("test", 4, key -> {
            overlaps.add(running.incrementAndGet());
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                secondRun.countDown();
            }
            running.decrementAndGet();
        })) {
            queue.add("a", Duration.ZERO);
            assertThat(inFirstRun.await(5, TimeUnit.SECONDS)).isTrue();
            queue.add("a", Duration.ZERO);
            queue.add("a", Duration.ZERO);
            Thread.sleep(100); // the re-queued runs reach a free worker while the first still runs
            release.countDown();

            assertThat(secondRun.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            assertThat(overlaps).containsOnly(1);
            assertThat(runs.get()).isEqualTo(2);
        }
    }
}
