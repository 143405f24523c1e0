// Replying to a story from the viewer: a typed reply or a quick reaction goes out with
// `stories.reply` and a fresh clientId each time, "Sent" confirms it; typing holds the story; a
// refusal shows in words; the field reads right to left in Arabic.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../../protocol/client.ts';
import { setLocale } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { baseStory } from '../../state/testing.ts';
import { StoryReply } from './StoryReply.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  setLocale('en');
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('story reply: a typed reply and a reaction each go out with their own clientId, "Sent" confirms; focus holds the story', async () => {
  const call = vi.spyOn(actions, 'call').mockResolvedValue({} as never);
  const typing: boolean[] = [];
  render(() => <StoryReply story={baseStory} name="Bruno" onTyping={(on) => typing.push(on)} />);
  const field = screen.getByRole('textbox', { name: 'Reply to \u2068Bruno\u2069…' });
  fireEvent.focus(field);
  expect(typing).toEqual([true]);
  expect((screen.getByRole('button', { name: 'Send reply' }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.input(field, { target: { value: '  What a beach!  ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
  expect(await screen.findByText('Sent')).toBeTruthy();
  expect((field as HTMLInputElement).value).toBe('');
  fireEvent.blur(field);
  expect(typing).toEqual([true, false]);
  fireEvent.click(screen.getByRole('button', { name: 'React with 🔥' }));
  await waitFor(() => expect(call).toHaveBeenCalledTimes(2));
  const [reply, reaction] = call.mock.calls.map(([op, body]): Record<string, string> => ({ op, ...(body as Record<string, string>) }));
  expect(reply).toEqual({ op: 'stories.reply', storyId: baseStory.id, text: 'What a beach!', clientId: expect.stringMatching(UUID) });
  expect(reaction).toEqual({ op: 'stories.reply', storyId: baseStory.id, emoji: '🔥', clientId: expect.stringMatching(UUID) });
  expect(reply?.clientId).not.toBe(reaction?.clientId);
  expect(screen.getAllByRole('button', { name: /^React with / }).map((button) => button.textContent)).toEqual([
    '😍',
    '😂',
    '😮',
    '😢',
    '👏',
    '🔥',
  ]);
});

test('story reply: MESSAGE_NOT_ALLOWED shows in words and the reply stays to edit; in Arabic the labels are translated', async () => {
  vi.spyOn(actions, 'call').mockRejectedValue(new ProtocolError('MESSAGE_NOT_ALLOWED', 'refused'));
  render(() => <StoryReply story={baseStory} name="Bruno" onTyping={() => {}} />);
  const field = screen.getByRole('textbox', { name: 'Reply to \u2068Bruno\u2069…' }) as HTMLInputElement;
  fireEvent.input(field, { target: { value: 'Hola' } });
  fireEvent.submit(field.form as HTMLFormElement);
  expect((await screen.findByRole('alert')).textContent).toBe('This person does not take messages from you.');
  expect(field.value).toBe('Hola');
  expect(screen.queryByText('Sent')).toBeNull();
  expect(field.getAttribute('dir')).toBe('auto');
  setLocale('ar');
  await waitFor(() => expect(screen.getByRole('textbox', { name: 'رد على \u2068Bruno\u2069…' })).toBeTruthy());
});
