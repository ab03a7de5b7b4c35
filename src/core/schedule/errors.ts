// The two ways a schedule can fail to evaluate. Callers decide what each means for them: the API
// answers 400, the alert loop pushes the check's deadline back.

/** A cron or OnCalendar expression that doesn't parse, or that never matches. */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';

  constructor(
    readonly schedule: string,
    readonly reason: string,
  ) {
    super(`Invalid schedule ${JSON.stringify(schedule)}: ${reason}`);
  }
}

/** A time zone name the platform's time zone data doesn't know. */
export class InvalidTimeZoneError extends Error {
  override readonly name = 'InvalidTimeZoneError';

  constructor(readonly timeZone: string) {
    super(`Unknown time zone ${JSON.stringify(timeZone)}`);
  }
}
