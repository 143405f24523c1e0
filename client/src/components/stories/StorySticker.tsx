// A story's sticker as a viewer meets it: a poll (one tap votes, once; then the share of each
// option shows, as the server counts them) or a question (a short answer, sent once). The author
// sees the poll's results, and how many voted or answered as a button that opens the list of them
// (StoryAnswers). Answering is `stories.answer`; the story that comes back replaces the shown one.
import { ListChecks } from 'lucide-solid';
import { createSignal, For, type JSX, Match, Show, Switch } from 'solid-js';
import { STORY_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { Button } from '../ui/Button.tsx';

type Sticker = NonNullable<Story['sticker']>;
export type Poll = Extract<Sticker, { kind: 'poll' }>;
type Question = Extract<Sticker, { kind: 'question' }>;

/** All the votes a poll has (none counted before the caller voted). */
export const votesOf = (poll: Poll): number => (poll.votes ?? []).reduce((sum, each) => sum + each, 0);

/** How a poll's votes split: each option with its share as a bar and a percentage, and with `counts` its number of votes. */
export function PollResults(props: { poll: Poll; counts?: boolean }): JSX.Element {
  const percent = (at: number) => (votesOf(props.poll) === 0 ? 0 : Math.round((100 * (props.poll.votes?.[at] ?? 0)) / votesOf(props.poll)));
  return (
    <For each={props.poll.options}>
      {(option, at) => (
        <div class={props.poll.myVote === at() ? 'story-result mine' : 'story-result'} data-testid="story-poll-result">
          <span class="story-result-bar" style={{ width: `${percent(at())}%` }} />
          <bdi>{option}</bdi>
          <span>
            <Show when={props.counts}>{t('stories.pollVotes', { count: props.poll.votes?.[at()] ?? 0 })} · </Show>
            {t('stories.pollShare', { percent: percent(at()) })}
          </span>
        </div>
      )}
    </For>
  );
}

/** The author's count of votes or answers, a button to the list of them. */
function AnswersButton(props: { text: string; onShow: () => void }): JSX.Element {
  return (
    <Button variant="secondary" size="sm" icon={ListChecks} onClick={() => props.onShow()} data-testid="story-answers-open">
      {props.text}
    </Button>
  );
}

/** `onTyping`: the story waits while the viewer writes an answer; `onShowAnswers`: the author asks for the list of answers. */
interface StickerProps {
  story: Story;
  mine: boolean;
  onAnswered: (story: Story) => void;
  onTyping: (typing: boolean) => void;
  onShowAnswers: () => void;
}

function PollSticker(props: StickerProps & { poll: Poll }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
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
      <Show
        when={props.poll.votes !== null}
        fallback={
          <For each={props.poll.options}>
            {(option, at) => (
              <Button variant="secondary" size="sm" disabled={busy() || props.mine} onClick={() => void vote(at())}>
                <bdi>{option}</bdi>
              </Button>
            )}
          </For>
        }
      >
        <PollResults poll={props.poll} />
        <Show when={props.mine} fallback={<small>{t('stories.pollVotes', { count: votesOf(props.poll) })}</small>}>
          <AnswersButton text={t('stories.pollVotes', { count: votesOf(props.poll) })} onShow={props.onShowAnswers} />
        </Show>
      </Show>
    </fieldset>
  );
}

function QuestionSticker(props: StickerProps & { question: Question }): JSX.Element {
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
          <AnswersButton text={t('stories.answersCount', { count: props.question.answers ?? 0 })} onShow={props.onShowAnswers} />
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

export function StorySticker(props: StickerProps): JSX.Element {
  return (
    <Switch>
      <Match when={props.story.sticker?.kind === 'poll' && (props.story.sticker as Poll)}>
        {(poll) => <PollSticker {...props} poll={poll()} />}
      </Match>
      <Match when={props.story.sticker?.kind === 'question' && (props.story.sticker as Question)}>
        {(question) => <QuestionSticker {...props} question={question()} />}
      </Match>
    </Switch>
  );
}
