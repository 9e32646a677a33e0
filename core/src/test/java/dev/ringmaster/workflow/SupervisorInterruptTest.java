package dev.ringmaster.workflow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.ringmaster.workflow.Fleet.step;
import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor thread stays idle when user code it runs leaves that thread interrupted. */
class SupervisorInterruptTest
{
    private Fleet fleet;

    @AfterEach
    void closeFleet()
    {
        if (fleet != null)
        {
            fleet.close();
        }
    }

    @Test
    void aPayloadFunctionThatInterruptsItsThreadDoesNotLeaveTheSupervisorSpinning() throws Exception
    {
        fleet = new Fleet(1);
        final Workflow w = Workflow.builder("interrupting")
            .step(step("A"))
            .step(step("B", "A").payload(inputs ->
            {
                Thread.currentThread().interrupt(); // e.g. a library that restores an interrupt it caught
                return new Fleet.Call("B", inputs);
            }))
            .build();
        final WorkflowResult r = fleet.run(w);
        assertThat(r.status()).as(r.reason()).isEqualTo(WorkflowStatus.SUCCEEDED);

        // idle, the supervisor parks for up to 100 ms at a time: about 5 parks in half a second, not millions
        final long before = fleet.supervisor.parks();
        TimeUnit.MILLISECONDS.sleep(500);
        assertThat(fleet.supervisor.parks() - before).as("idle loop iterations in 500 ms").isLessThan(100);
    }
}
