// A story's sticker as a viewer meets it: a poll (one tap votes, once; then the share of each
// option shows, as the server counts them) or a question (a short answer, sent once). The author
// sees the poll's results and how many answered. Answering is `stories.answer`; the story that
// comes back replaces the shown one.
import { createSignal, For, type JSX, Match, Show, Switch } from 'solid-js';
import { STORY_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { Button } from '../ui/Button.tsx';

type Sticker = NonNullable<Story['sticker']>;
type Poll = Extract<Sticker, { kind: 'poll' }>;
type Question = Extract<Sticker, { kind: 'question' }>;

function PollSticker(props: { story: Story; poll: Poll; mine: boolean; onAnswered: (story: Story) => void }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const total = () => (props.poll.votes ?? []).reduce((sum, each) => sum + each, 0);
  const percent = (at: number) => (total() === 0 ? 0 : Math.round((100 * (props.poll.votes?.[at] ?? 0)) / total()));
  const vote = async (option: number) => {
    setBusy(true);
    try {
      props.onAnswered(await actions.call('stories.answer', { storyId: props.story.id, option }));
    } catch (error) {
      actions.toast(errorText(error), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset class="story-sticker" data-testid="story-poll">
      <legend dir="auto">{props.poll.question}</legend>
      <For each={props.poll.options}>
        {(option, at) => (
          <Show
            when={props.poll.votes}
            fallback={
              <Button variant="secondary" size="sm" disabled={busy() || props.mine} onClick={() => void vote(at())}>
                <bdi>{option}</bdi>
              </Button>
            }
          >
            <div class={props.poll.myVote === at() ? 'story-result mine' : 'story-result'} data-testid="story-poll-result">
              <span class="story-result-bar" style={{ width: `${percent(at())}%` }} />
              <bdi>{option}</bdi>
              <span>{t('stories.pollShare', { percent: percent(at()) })}</span>
            </div>
          </Show>
        )}
      </For>
      <Show when={props.poll.votes !== null}>
        <small>{t('stories.pollVotes', { count: total() })}</small>
      </Show>
    </fieldset>
  );
}

function QuestionSticker(props: {
  story: Story;
  question: Question;
  mine: boolean;
  onAnswered: (story: Story) => void;
  onTyping: (typing: boolean) => void;
}): JSX.Element {
  const [answer, setAnswer] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const send = async (event: Event) => {
    event.preventDefault();
    if (answer().trim() === '') return;
    setBusy(true);
    try {
      props.onAnswered(await actions.call('stories.answer', { storyId: props.story.id, answer: answer().trim() }));
      actions.toast(t('stories.answerSent'));
    } catch (error) {
      actions.toast(errorText(error), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="story-sticker" onSubmit={send} data-testid="story-question">
      <p class="story-prompt" dir="auto">
        {props.question.prompt}
      </p>
      <Switch>
        <Match when={props.mine}>
          <small>{t('stories.answersCount', { count: props.question.answers ?? 0 })}</small>
        </Match>
        <Match when={props.question.myAnswer}>
          {(mine) => (
            <p class="story-answer" dir="auto">
              {mine()}
            </p>
          )}
        </Match>
        <Match when={true}>
          <div class="row">
            <input
              aria-label={t('stories.answerLabel')}
              placeholder={t('stories.answerLabel')}
              maxlength={STORY_LIMITS.answerChars}
              value={answer()}
              dir="auto"
              onInput={(event) => setAnswer(event.currentTarget.value)}
              onFocus={() => props.onTyping(true)}
              onBlur={() => props.onTyping(false)}
            />
            <Button type="submit" size="sm" disabled={busy() || answer().trim() === ''}>
              {t('stories.answerSend')}
            </Button>
          </div>
        </Match>
      </Switch>
    </form>
  );
}

/** `onTyping`: the story waits while the viewer writes an answer. */
export function StorySticker(props: {
  story: Story;
  mine: boolean;
  onAnswered: (story: Story) => void;
  onTyping: (typing: boolean) => void;
}): JSX.Element {
  return (
    <Switch>
      <Match when={props.story.sticker?.kind === 'poll' && (props.story.sticker as Poll)}>
        {(poll) => <PollSticker story={props.story} poll={poll()} mine={props.mine} onAnswered={props.onAnswered} />}
      </Match>
      <Match when={props.story.sticker?.kind === 'question' && (props.story.sticker as Question)}>
        {(question) => (
          <QuestionSticker
            story={props.story}
            question={question()}
            mine={props.mine}
            onAnswered={props.onAnswered}
            onTyping={props.onTyping}
          />
        )}
      </Match>
    </Switch>
  );
}
