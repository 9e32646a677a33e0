/**
 * An example third-party Ringmaster plugin: one routing strategy, {@link com.example.ringmaster.BudgetFirstStrategy},
 * registered in {@code META-INF/services} and shipped as its own jar for a plugins directory. Copy it to start yours.
 */
package com.example.ringmaster;
