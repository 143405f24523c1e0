// Refusals of the treats module that carry numbers.
import { ServerError } from '../errors.ts';

/** A spend larger than the wallet holds; nothing moved. */
export class NotEnoughTreatsError extends ServerError {
  readonly code = 'NOT_ENOUGH_TREATS';
  readonly status = 422;
  readonly balance: number;
  readonly needed: number;
  constructor(balance: number, needed: number) {
    super(`the wallet holds ${balance} treats; ${needed} are needed`);
    this.name = 'NotEnoughTreatsError';
    this.balance = balance;
    this.needed = needed;
  }
  override details() {
    return { balance: this.balance, needed: this.needed };
  }
}
