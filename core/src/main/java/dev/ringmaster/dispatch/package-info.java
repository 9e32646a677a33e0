/**
 * The public face of the dispatcher: {@link dev.ringmaster.dispatch.Dispatcher}, its builder, and what submission
 * and completion answer. The pipeline itself is in {@code dispatch.internal}.
 */
package dev.ringmaster.dispatch;
