/** The task and agent model: immutable descriptions shared by producers, the dispatcher and plugins. */
package dev.ringmaster.model;
