package dev.ringmaster.dispatch.internal;

/**
 * What every part of the router shares: the router that wires them and the engine's counters, stage histograms and
 * listeners. Each part is used only by the thread holding the routing role (see {@link RoutingRole}), one at a time.
 */
abstract class RouterPart
{
    final Router router;
    final Engine engine;
    final Control control;
    final Counters counters;
    final StageRecorders stages;
    final Listeners listener;

    RouterPart(final Router router)
    {
        this.router = router;
        this.engine = router.engine;
        this.control = router.engine.control;
        this.counters = router.engine.counters;
        this.stages = router.engine.stages;
        this.listener = router.listener;
    }
}
