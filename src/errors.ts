/** A configuration or usage problem. `field` names what is wrong so the user can fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Bad input data (a WAV file, a trace file): names the file and what is wrong. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}
