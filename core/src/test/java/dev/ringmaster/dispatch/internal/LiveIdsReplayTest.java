package dev.ringmaster.dispatch.internal;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A race of two submissions of one id, replayed step by step (each step one atomic operation of {@link LiveIds}, in
 * an order the threads can produce): the accepted task's removal must free its own cell, not the racing duplicate's
 * transient claim, and the duplicate's back-out must not free a cell another id has taken since.
 */
class LiveIdsReplayTest
{
    @Test
    void aRacingDuplicatesTransientClaimNeitherHidesNorFreesALiveId() throws Exception
    {
        final LiveIds ids = new LiveIds(64); // 64 buckets: ids 1, 65 and 129 share bucket 1, cells 8..14
        final Field f = LiveIds.class.getDeclaredField("table");
        f.setAccessible(true);
        final AtomicLongArray table = (AtomicLongArray)f.get(ids);
        final Method find = LiveIds.class.getDeclaredMethod("find", long.class, int.class);
        find.setAccessible(true);

        final int cell65 = ids.add(65);
        assertThat(cell65).isEqualTo(8);
        // submitter B, add(1): find(1) sees nothing yet
        assertThat((int)find.invoke(ids, 1L, -1)).isEqualTo(-1);
        // submitter A, add(1): cell 8 is taken by 65, so it claims cell 9; its re-check sees no other copy: accepted
        final int cellA = ids.add(1);
        assertThat(cellA).isEqualTo(9);
        ids.remove(65, cell65);                                 // task 65 terminal: cell 8 free again
        // B claims the first free cell, 8 (its CAS in add)
        assertThat(table.compareAndSet(8, Long.MIN_VALUE, 1)).isTrue();
        // A's task 1 goes terminal: it frees its own cell 9, not B's transient claim in cell 8
        ids.remove(1, cellA);
        assertThat(table.get(9)).isEqualTo(Long.MIN_VALUE);
        // B's re-check finds no other copy now, so B's submission is accepted into cell 8: one live id 1, one cell
        assertThat((int)find.invoke(ids, 1L, 8)).isEqualTo(-1);
        // another submitter's id 129 cannot take cell 8 while B holds it, and a second 129 is refused
        final int cell129 = ids.add(129);
        assertThat(cell129).isNotEqualTo(8);
        assertThat(ids.add(129)).isEqualTo(LiveIds.DUPLICATE);
        assertThat(ids.add(1)).as("B's task 1 is live").isEqualTo(LiveIds.DUPLICATE);
        // a stale removal by an old cell number never frees a cell another id took since
        ids.remove(1, cell129);
        assertThat(ids.add(129)).isEqualTo(LiveIds.DUPLICATE);
        ids.remove(1, 8);
        assertThat(ids.add(1)).as("task 1 finished: its id is free again").isGreaterThanOrEqualTo(0);
    }
}
