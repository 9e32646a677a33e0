/**
 * Implementation of the admin endpoint: request routing and authorization, the JSON views of the dispatcher's
 * snapshots, and the mapping of failures to HTTP statuses. Not an API; only {@code dev.ringmaster.admin} is.
 */
package dev.ringmaster.admin.internal;
