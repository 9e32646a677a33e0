package dev.ringmaster.delegation;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Batch;
import dev.ringmaster.spi.BatchAdapter;
import dev.ringmaster.spi.BatchCompletion;
import dev.ringmaster.spi.TaskView;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A batch-aware test agent: records the member ids of every call and answers members in reverse order (so results
 * must be routed by index, not by arrival); a member whose payload is "fail" fails. Called on worker threads.
 */
final class RecordingBatchAdapter implements BatchAdapter
{
    final List<List<Long>> calls = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>();

    @Override
    public void executeBatch(final Batch batch, final TaskView batchTask, final BatchCompletion completion,
        final AgentTelemetry telemetry)
    {
        final List<Long> ids = new ArrayList<>();
        for (final Task member : batch.members())
        {
            ids.add(member.id());
        }
        calls.add(ids);
        keys.add(String.valueOf(batch.key()));
        for (int i = batch.size() - 1; i >= 0; i--)
        {
            final Object payload = batch.member(i).payload();
            if ("fail".equals(payload))
            {
                completion.fail(i, new IllegalStateException("cannot do " + payload));
            }
            else
            {
                completion.succeed(i, "answer to " + payload, 10, 1.0);
            }
        }
    }
}
