/**
 * Fault injection for crash tests: {@link PausePoints} names the points in a run where a test stops
 * the process to kill it there. Off unless {@code METALOAD_PAUSE_AT} is set, so a pause point in
 * main code changes nothing in production.
 *
 * <p>Main code of any module may place a pause point where a kill matters. Depends on no other
 * metaload package and on no database.
 */
package io.metaload.metadata.fault;
