import { parseInstantInZone, type Clock } from '../time';
import { invalidInput } from './errors';

/** How far ahead of the clock a given time may be (clock skew between machines). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface AtOptions {
  /** Names the value in a parse error, e.g. "The time". */
  label: string;
  /** Ends the sentence refusing a future time, e.g. "give the time the usage happened". */
  remedy: string;
}

/**
 * The instant a user gave for something that already happened (a usage event, a reading): now
 * when absent; a bare date or zone-less time is read in the user's zone; more than a few minutes
 * ahead of the clock is refused, because a future row would count in a day that has not come.
 */
export function parseAt(at: string | undefined, where: { clock: Clock; timeZone: string }, options: AtOptions): Date {
  if (at === undefined) return where.clock.now();
  const date = parseInstantInZone(at, where.timeZone, options.label);
  if (date.getTime() > where.clock.now().getTime() + FUTURE_TOLERANCE_MS) {
    throw invalidInput('time_in_future', `The time ${at} is in the future; ${options.remedy}.`, { at, field: 'at' });
  }
  return date;
}
