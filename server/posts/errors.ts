// Refusals of the posts module that carry more than a code: the saved-posts limit names itself.
import { ServerError } from '../errors.ts';

/** The user already keeps SAVED_POSTS_MAX saved posts (those they can still see); nothing was saved. */
export class TooManySavedPostsError extends ServerError {
  readonly code = 'TOO_MANY_SAVED_POSTS';
  readonly status = 403;
  readonly limit: number;
  constructor(limit: number) {
    super(`at most ${limit} saved posts; unsave one first`);
    this.name = 'TooManySavedPostsError';
    this.limit = limit;
  }
  override details() {
    return { limit: this.limit };
  }
}
