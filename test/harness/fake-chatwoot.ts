// A local Chatwoot for tests: the Application API paths and JSON shapes support uses (contacts and
// their search, contact inboxes, conversations, messages, toggle_priority, labels, toggle_status),
// checking the `api_access_token` header, and the account webhook out, signed as current Chatwoot
// signs it (X-Chatwoot-Signature: sha256=HMAC-SHA256(secret, `<timestamp>.<body>`),
// X-Chatwoot-Timestamp, X-Chatwoot-Delivery). Records every request it received; control methods
// play the agents (reply, a private note, resolve), take Chatwoot down, and forge or repeat
// deliveries. The production client is the code under test: it is pointed here by CHATWOOT_BASE_URL.
import { createHmac, randomUUID } from 'node:crypto';

export interface FakeChatwootOptions {
  accountId: number;
  inboxId: number;
  apiToken: string;
  webhookSecret: string;
}

interface ReceivedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  status: number;
}

interface Contact {
  id: number;
  name: string;
  identifier: string | null;
}

interface Message {
  id: number;
  content: string;
  message_type: 'incoming' | 'outgoing' | 'activity';
  private: boolean;
  sender: { id: number; name: string; available_name: string; type: 'user' | 'contact' };
}

interface FakeConversation {
  id: number;
  contactId: number;
  inboxId: number;
  sourceId: string;
  status: 'open' | 'resolved' | 'pending';
  priority: string | null;
  labels: string[];
  customAttributes: Record<string, unknown>;
  messages: Message[];
}

/** `signature`: signed with another secret; `stale`: signed, but 10 minutes ago; `unsigned`: no signature headers; `tampered`: the body changed after signing. */
type Forgery = 'signature' | 'stale' | 'unsigned' | 'tampered';

export interface FakeChatwoot {
  url: string;
  /** Where webhooks go: the node's /webhooks/chatwoot (set once the node runs). */
  webhookUrl: string;
  readonly requests: ReceivedRequest[];
  readonly contacts: Contact[];
  readonly conversations: FakeConversation[];
  /** While true every API request answers 503. */
  down: boolean;
  /** The conversation Chatwoot holds for our conversation id (its custom attribute). */
  conversationFor(ourId: string): FakeConversation | undefined;
  /** An agent answers (or writes a private note): the message is made and `message_created` delivered; returns the webhook's answers. */
  reply(
    conversationId: number,
    content: string,
    options?: { private?: boolean; agent?: string; forge?: Forgery; times?: number },
  ): Promise<{ messageId: number; answers: { status: number; body: unknown }[] }>;
  /** An agent resolves the conversation: `conversation_status_changed` delivered. */
  resolve(conversationId: number, options?: { forge?: Forgery }): Promise<{ status: number; body: unknown }>;
  /** Delivers any event body as Chatwoot would (signed unless forged). */
  deliver(event: Record<string, unknown>, forge?: Forgery): Promise<{ status: number; body: unknown }>;
  close(): void;
}

export function startFakeChatwoot(options: FakeChatwootOptions): FakeChatwoot {
  const requests: ReceivedRequest[] = [];
  const contacts: Contact[] = [];
  const conversations: FakeConversation[] = [];
  const contactInboxes: { contactId: number; inboxId: number; sourceId: string }[] = [];
  let nextId = 100;
  const newId = () => nextId++;
  const prefix = `/api/v1/accounts/${options.accountId}`;

  const json = (status: number, body: unknown) => Response.json(body, { status });
  const contactInbox = (contactId: number) => {
    const made = { contactId, inboxId: options.inboxId, sourceId: randomUUID() };
    contactInboxes.push(made);
    return { source_id: made.sourceId, inbox: { id: options.inboxId, name: 'PetAmigos app', channel_type: 'Channel::Api' } };
  };
  const conversationJson = (conversation: FakeConversation) => ({
    id: conversation.id,
    account_id: options.accountId,
    inbox_id: conversation.inboxId,
    status: conversation.status,
    priority: conversation.priority,
    labels: conversation.labels,
    custom_attributes: conversation.customAttributes,
    meta: { sender: { id: conversation.contactId } },
    messages: [],
  });

  function route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown> | undefined): Response {
    if (method === 'GET' && path === '/contacts/search') {
      const q = query.get('q') ?? '';
      const found = contacts.filter((contact) => contact.identifier === q || contact.name.includes(q));
      return json(200, { meta: { count: found.length, current_page: 1 }, payload: found.map((contact) => ({ ...contact, email: null })) });
    }
    if (method === 'POST' && path === '/contacts') {
      const identifier = typeof body?.identifier === 'string' ? body.identifier : null;
      if (identifier !== null && contacts.some((contact) => contact.identifier === identifier))
        return json(422, { message: 'Identifier has already been taken' });
      const contact = { id: newId(), name: String(body?.name ?? ''), identifier };
      contacts.push(contact);
      const inbox = body?.inbox_id === undefined ? null : contactInbox(contact.id);
      return json(200, { payload: { contact: { ...contact, email: null }, contact_inbox: inbox } });
    }
    const inboxes = /^\/contacts\/(\d+)\/contact_inboxes$/.exec(path);
    if (method === 'POST' && inboxes !== null) {
      const contactId = Number(inboxes[1]);
      if (!contacts.some((contact) => contact.id === contactId)) return json(404, { error: 'Resource could not be found' });
      if (body?.inbox_id !== options.inboxId) return json(422, { error: 'Inbox not found' });
      return json(200, contactInbox(contactId));
    }
    if (method === 'POST' && path === '/conversations') {
      const link = contactInboxes.find((candidate) => candidate.sourceId === body?.source_id);
      if (
        link === undefined ||
        body?.inbox_id !== options.inboxId ||
        (body?.contact_id !== undefined && body.contact_id !== link.contactId)
      )
        return json(422, { error: 'source_id, inbox_id and contact_id do not match' });
      const conversation: FakeConversation = {
        id: newId(),
        contactId: link.contactId,
        inboxId: options.inboxId,
        sourceId: link.sourceId,
        status: 'open',
        priority: null,
        labels: [],
        customAttributes: (body?.custom_attributes as Record<string, unknown> | undefined) ?? {},
        messages: [],
      };
      conversations.push(conversation);
      return json(200, conversationJson(conversation));
    }
    const conversationPath = /^\/conversations\/(\d+)\/(messages|toggle_priority|labels|toggle_status)$/.exec(path);
    if (conversationPath !== null) {
      const conversation = conversations.find((candidate) => candidate.id === Number(conversationPath[1]));
      if (conversation === undefined) return json(404, { error: 'Resource could not be found' });
      const action = conversationPath[2];
      if (method === 'POST' && action === 'messages') {
        if (typeof body?.content !== 'string' || body.content === '') return json(422, { error: 'content is required' });
        const message: Message = {
          id: newId(),
          content: body.content,
          message_type: body.message_type === 'incoming' ? 'incoming' : 'outgoing',
          private: body.private === true,
          sender: { id: conversation.contactId, name: 'contact', available_name: 'contact', type: 'contact' },
        };
        conversation.messages.push(message);
        return json(200, { ...message, conversation_id: conversation.id, content_type: 'text' });
      }
      if (method === 'POST' && action === 'toggle_priority') {
        if (!['urgent', 'high', 'medium', 'low', 'none'].includes(String(body?.priority))) return json(422, { error: 'invalid priority' });
        conversation.priority = body?.priority === 'none' ? null : String(body?.priority);
        return json(200, {});
      }
      if (method === 'GET' && action === 'labels') return json(200, { payload: conversation.labels });
      if (method === 'POST' && action === 'labels') {
        if (!Array.isArray(body?.labels)) return json(422, { error: 'labels is required' });
        conversation.labels = body.labels.map(String);
        return json(200, { payload: conversation.labels });
      }
      if (method === 'POST' && action === 'toggle_status') {
        conversation.status = body?.status === 'resolved' ? 'resolved' : body?.status === 'pending' ? 'pending' : 'open';
        return json(200, { payload: { success: true, current_status: conversation.status, conversation_id: conversation.id } });
      }
    }
    return json(404, { error: 'Resource could not be found' });
  }

  const fake: FakeChatwoot = {
    url: '',
    webhookUrl: '',
    requests,
    contacts,
    conversations,
    down: false,
    conversationFor: (ourId) => conversations.find((conversation) => conversation.customAttributes.petamigos_conversation === ourId),
    async reply(conversationId, content, replyOptions = {}) {
      const conversation = conversations.find((candidate) => candidate.id === conversationId);
      if (conversation === undefined) throw new Error(`fake chatwoot: no conversation ${conversationId}`);
      const agent = replyOptions.agent ?? 'Lucía';
      const message: Message = {
        id: newId(),
        content,
        message_type: 'outgoing',
        private: replyOptions.private === true,
        sender: { id: 7, name: agent, available_name: agent, type: 'user' },
      };
      conversation.messages.push(message);
      const event = {
        event: 'message_created',
        ...message,
        content_type: 'text',
        content_attributes: {},
        created_at: new Date().toISOString(),
        source_id: null,
        account: { id: options.accountId, name: 'PetAmigos' },
        inbox: { id: conversation.inboxId, name: 'PetAmigos app' },
        conversation: { ...conversationJson(conversation), contact_inbox: { source_id: conversation.sourceId } },
        sender: { ...message.sender, email: 'lucia@petamigos.example', avatar_url: '' },
      };
      const answers = [];
      for (let i = 0; i < (replyOptions.times ?? 1); i++) answers.push(await fake.deliver(event, replyOptions.forge));
      return { messageId: message.id, answers };
    },
    async resolve(conversationId, resolveOptions = {}) {
      const conversation = conversations.find((candidate) => candidate.id === conversationId);
      if (conversation === undefined) throw new Error(`fake chatwoot: no conversation ${conversationId}`);
      conversation.status = 'resolved';
      return fake.deliver(
        {
          event: 'conversation_status_changed',
          ...conversationJson(conversation),
          changed_attributes: [{ status: { current_value: 'resolved' } }],
        },
        resolveOptions.forge,
      );
    },
    async deliver(event, forge) {
      let body = JSON.stringify(event);
      const timestamp = String(Math.floor(Date.now() / 1000) - (forge === 'stale' ? 600 : 0));
      const secret = forge === 'signature' ? `${options.webhookSecret}-not` : options.webhookSecret;
      const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
      if (forge === 'tampered') body = `${body.slice(0, -1)},"tampered":true}`;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-chatwoot-delivery': randomUUID() };
      if (forge !== 'unsigned') Object.assign(headers, { 'x-chatwoot-signature': signature, 'x-chatwoot-timestamp': timestamp });
      const response = await fetch(fake.webhookUrl, { method: 'POST', headers, body });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    close: () => server.stop(true),
  };

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url);
      const text = await request.text();
      const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
      const record = (response: Response) => {
        requests.push({ method: request.method, path: url.pathname + url.search, body, status: response.status });
        return response;
      };
      if (fake.down) return record(json(503, { error: 'Service Unavailable' }));
      if (request.headers.get('api_access_token') !== options.apiToken) return record(json(401, { errors: ['Invalid Access Token'] }));
      if (!url.pathname.startsWith(prefix)) return record(json(404, { error: 'Resource could not be found' }));
      return record(route(request.method, url.pathname.slice(prefix.length), url.searchParams, body));
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;
  return fake;
}
