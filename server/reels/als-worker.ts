// Runs the factorisation (als.ts) off the node's event loop: a round over millions of observations
// takes seconds of CPU, which would stall every socket of the node if run on its main thread.
import { type AlsOptions, factorise, type Observations } from './als.ts';

declare const self: Worker;

self.onmessage = (event: MessageEvent<{ observed: Observations; users: number; items: number; options: AlsOptions }>) => {
  const { observed, users, items, options } = event.data;
  const { itemFactors } = factorise(observed, users, items, options);
  self.postMessage(itemFactors, [itemFactors.buffer]);
};
