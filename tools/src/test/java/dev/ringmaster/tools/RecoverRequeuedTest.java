package dev.ringmaster.tools;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringmaster recover} of a journal holding a second acceptance of a dead-lettered id, as the journal writes it
 * when a dead letter is requeued or the id resubmitted: the second acceptance is the open task, recovered from its own
 * record; the dead-lettered one stays finished and is not dispatched again.
 */
class RecoverRequeuedTest
{
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theRequeuedAcceptanceIsRecoveredAndTheDeadLetteredOneIsNot()
    {
        final Path dir = tmp.resolve("journal");
        final Task first = Task.builder("coder").id(60).payload("dead-lettered").build();
        final Task requeued = Task.builder("coder").id(60).payload("requeued").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            // a crashed run: task 60 dead-lettered, requeued, and killed before the requeued one ended
            final DispatchListener listener = journal.listener();
            listener.onAccepted(view(first, 7), 1_000);
            listener.onDeadLettered(view(first, 7), "no retries left", 2_000);
            listener.onAccepted(view(requeued, 9), 3_000);
        }

        final DemoCommandTest.Run dry = run("recover", dir.toString(), "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        final Map<String, Object> before = json(dry);
        assertThat(num(before, "accepted")).isEqualTo(2);
        assertThat(num(before, "finished")).isEqualTo(1);
        assertThat(num(before, "open")).isEqualTo(1);

        final DemoCommandTest.Run recover = run("recover", dir.toString(), "--json");
        assertThat(recover.exitCode()).as(recover.err()).isZero();
        assertThat(num(json(recover), "recovered")).isEqualTo(1);
        final List<Object> payloads = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r ->
            {
                if (r.type() == EventType.RECOVERED)
                {
                    payloads.add(r.task(PayloadCodec.standard()).payload());
                }
            });
        }
        assertThat(payloads).as("the requeued acceptance, once").containsExactly("requeued");
        assertThat(num(json(run("recover", dir.toString(), "--dry-run", "--json")), "open")).isZero();
    }

    private static TaskView view(final Task task, final long sequence)
    {
        return new TaskView()
        {
            @Override
            public Task task()
            {
                return task;
            }

            @Override
            public Priority priority()
            {
                return task.priority();
            }

            @Override
            public int attempt()
            {
                return 1;
            }

            @Override
            public long acceptedNanos()
            {
                return 0;
            }

            @Override
            public long sequence()
            {
                return sequence;
            }
        };
    }
}
