/**
 * JMH benchmarks of Tollgate's access check against Spring Security's resource-server JWT
 * stack, on the same tokens and the same machine. Run them with
 * {@code java -jar benchmarks/target/benchmarks.jar}; results and how to read them are in
 * {@code docs/benchmarks.md}.
 */
package dev.tollgate.benchmarks;
