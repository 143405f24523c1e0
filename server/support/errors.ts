// Failures of support: the helpdesk is not configured, and Chatwoot refused or failed a request.
import { ServerError } from '../errors.ts';

/** No helpdesk is configured on this server; nothing was stored. */
export class SupportUnavailableError extends ServerError {
  readonly code = 'SUPPORT_UNAVAILABLE';
  readonly status = 503;
  constructor() {
    super('support is not available on this server');
    this.name = 'SupportUnavailableError';
  }
}

/** Chatwoot answered a request with an error status, or could not be reached (status 0). Never reaches a caller: the forwarder retries. */
export class ChatwootError extends ServerError {
  readonly code = 'CHATWOOT_ERROR';
  readonly status = 502;
  readonly chatwootStatus: number;
  constructor(request: string, chatwootStatus: number, detail: string, options: { cause?: unknown } = {}) {
    super(`chatwoot ${request} failed [status:${chatwootStatus}] ${detail}`.trim(), options);
    this.name = 'ChatwootError';
    this.chatwootStatus = chatwootStatus;
  }
}
