// Chatwoot's Application API, the part support needs: contacts (identified by our user id), a
// conversation in the API channel inbox, the person's messages (`incoming`), the priority and the
// `pro` label, and resolving. Every request carries the `api_access_token` header; an answer that
// is not 2xx, or no answer within the timeout, is a ChatwootError (the forwarder retries).
import type { ChatwootConfig } from '../platform/config.ts';
import { ChatwootError } from './errors.ts';
import type { SupportPriority } from './schema.ts';

const TIMEOUT_MS = 10_000;
/** The label a conversation of a plan with `prioritySupport` carries, for agents' filters. */
const PRIORITY_LABEL = 'pro';

interface ContactInbox {
  source_id: string;
  inbox?: { id: number };
}

export class ChatwootClient {
  readonly #config: ChatwootConfig;

  constructor(config: ChatwootConfig) {
    this.#config = config;
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const what = `${method} ${path.replace(/\?.*$/, '')}`;
    const url = `${this.#config.baseUrl}/api/v1/accounts/${this.#config.accountId}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { api_access_token: this.#config.apiToken, 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ChatwootError(what, 0, (error as Error).message, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new ChatwootError(what, response.status, text.slice(0, 300));
    try {
      return (text === '' ? {} : JSON.parse(text)) as T;
    } catch (error) {
      throw new ChatwootError(what, response.status, 'the answer is not JSON', { cause: error });
    }
  }

  /** The contact whose identifier is `userId`, made when missing, and a contact inbox of it in our inbox. */
  async contact(userId: string, name: string): Promise<{ contactId: number; sourceId: string }> {
    const found = await this.#request<{ payload: { id: number; identifier: string | null }[] }>(
      'GET',
      `/contacts/search?q=${encodeURIComponent(userId)}`,
    );
    const existing = found.payload.find((contact) => contact.identifier === userId);
    if (existing !== undefined) {
      const inbox = await this.#request<ContactInbox>('POST', `/contacts/${existing.id}/contact_inboxes`, {
        inbox_id: this.#config.inboxId,
      });
      return { contactId: existing.id, sourceId: inbox.source_id };
    }
    const made = await this.#request<{ payload: { contact: { id: number }; contact_inbox: ContactInbox } }>('POST', '/contacts', {
      inbox_id: this.#config.inboxId,
      name,
      identifier: userId,
    });
    return { contactId: made.payload.contact.id, sourceId: made.payload.contact_inbox.source_id };
  }

  /** Opens a conversation in our inbox; `conversationId` (ours) goes in its custom attributes for agents. */
  async openConversation(contactId: number, sourceId: string, conversationId: string): Promise<number> {
    const made = await this.#request<{ id: number }>('POST', '/conversations', {
      source_id: sourceId,
      inbox_id: this.#config.inboxId,
      contact_id: contactId,
      status: 'open',
      custom_attributes: { petamigos_conversation: conversationId },
    });
    return made.id;
  }

  /** Posts the person's message (`incoming`: from the contact); returns Chatwoot's message id. */
  async postMessage(chatwootConversationId: number, content: string): Promise<number> {
    const made = await this.#request<{ id: number }>('POST', `/conversations/${chatwootConversationId}/messages`, {
      content,
      message_type: 'incoming',
      private: false,
    });
    return made.id;
  }

  /** Sets the priority, and the `pro` label with it (other labels agents set are kept). */
  async setPriority(chatwootConversationId: number, priority: SupportPriority): Promise<void> {
    await this.#request('POST', `/conversations/${chatwootConversationId}/toggle_priority`, { priority });
    const { payload } = await this.#request<{ payload: string[] }>('GET', `/conversations/${chatwootConversationId}/labels`);
    const labels = payload.filter((label) => label !== PRIORITY_LABEL);
    if (priority !== 'none') labels.push(PRIORITY_LABEL);
    if (labels.length === payload.length && labels.every((label) => payload.includes(label))) return;
    // The labels call replaces the conversation's whole list.
    await this.#request('POST', `/conversations/${chatwootConversationId}/labels`, { labels });
  }

  async resolve(chatwootConversationId: number): Promise<void> {
    await this.#request('POST', `/conversations/${chatwootConversationId}/toggle_status`, { status: 'resolved' });
  }
}
