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
        final LiveIds ids = new LiveIds(64); // 64 buckets of 7 ids: ids 7, 455 and 903 share bucket 1, cells 8..14
        final Field f = LiveIds.class.getDeclaredField("table");
        f.setAccessible(true);
        final AtomicLongArray table = (AtomicLongArray)f.get(ids);
        final Method find = LiveIds.class.getDeclaredMethod("find", long.class, int.class);
        find.setAccessible(true);

        final int cell455 = ids.add(455);
        assertThat(cell455).isEqualTo(8);
        // submitter B, add(7): find(7) sees nothing yet
        assertThat((int)find.invoke(ids, 7L, -1)).isEqualTo(-1);
        // submitter A, add(7): cell 8 is taken by 455, so it claims cell 9; its re-check sees no other copy: accepted
        final int cellA = ids.add(7);
        assertThat(cellA).isEqualTo(9);
        ids.remove(455, cell455);                               // task 455 terminal: cell 8 free again
        // B claims the first free cell, 8 (its CAS in add)
        assertThat(table.compareAndSet(8, Long.MIN_VALUE, 7)).isTrue();
        // A's task 7 goes terminal: it frees its own cell 9, not B's transient claim in cell 8
        ids.remove(7, cellA);
        assertThat(table.get(9)).isEqualTo(Long.MIN_VALUE);
        // B's re-check finds no other copy now, so B's submission is accepted into cell 8: one live id 7, one cell
        assertThat((int)find.invoke(ids, 7L, 8)).isEqualTo(-1);
        // another submitter's id 903 cannot take cell 8 while B holds it, and a second 903 is refused
        final int cell903 = ids.add(903);
        assertThat(cell903).isNotEqualTo(8);
        assertThat(ids.add(903)).isEqualTo(LiveIds.DUPLICATE);
        assertThat(ids.add(7)).as("B's task 7 is live").isEqualTo(LiveIds.DUPLICATE);
        // a stale removal by an old cell number never frees a cell another id took since
        ids.remove(7, cell903);
        assertThat(ids.add(903)).isEqualTo(LiveIds.DUPLICATE);
        ids.remove(7, 8);
        assertThat(ids.add(7)).as("task 7 finished: its id is free again").isGreaterThanOrEqualTo(0);
    }

    @Test
    void sevenConsecutiveIdsShareOneCacheLineSoASlidingWindowOfLiveIdsStaysInFewLines()
    {
        final LiveIds ids = new LiveIds(64);
        for (long id = 7; id < 14; id++)
        {
            assertThat(ids.add(id)).as("id %d", id).isEqualTo(8 + (int)(id - 7)); // bucket 1: cells 8..14
        }
        assertThat(ids.add(14)).as("the next seven start the next bucket").isEqualTo(16);
        assertThat(ids.add(10)).isEqualTo(LiveIds.DUPLICATE);
    }
}
