/** A mistake in what the author asked for or in a dataset file: the CLI prints the message alone, without a stack. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
