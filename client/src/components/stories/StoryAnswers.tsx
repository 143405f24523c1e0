// The answers to the sticker of one of the user's stories, for its author: a poll's results (each
// option's votes and share, from the story's own counts, which the viewer moves live) and then who
// voted for what; a question's answers, each person with theirs. Newest first, a page at a time
// (`stories.answers`); people who answer while it is open join the top live (`story.answered`,
// see storyPeople.ts).
import { For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { formatRelative, t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { Dialog } from '../Dialog.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { PersonRow } from '../Person.tsx';
import { usePages } from '../usePages.ts';
import { type Poll, PollResults, votesOf } from './StorySticker.tsx';
import { joinLive } from './storyPeople.ts';

type Answer = CallResponse<'stories.answers'>['items'][number];
interface Answered {
  storyId: string;
  userId: string;
  option: number | null;
  answer: string | null;
  answeredAt: string;
}

/** Someone with their answer, or the option they voted for, and when. */
function AnswerRow(props: { answer: Answer; options: string[] | undefined }): JSX.Element {
  const option = () => (props.answer.option === null ? undefined : props.options?.[props.answer.option]);
  return (
    <PersonRow
      person={props.answer.user}
      detail={
        <>
          <Show when={props.answer.answer !== null}>
            <span class="story-answer-text" dir="auto">
              {props.answer.answer}
            </span>
          </Show>
          <Show when={option() !== undefined}>
            <bdi class="story-answer-option">{option()}</bdi>
            {' · '}
          </Show>
          <time datetime={props.answer.answeredAt}>{formatRelative(props.answer.answeredAt)}</time>
        </>
      }
    />
  );
}

export function StoryAnswers(props: { story: Story; onClose: () => void }): JSX.Element {
  const pages = usePages<Answer>(
    (cursor) => actions.call('stories.answers', { storyId: props.story.id, cursor }),
    (item) => item.user.id,
  );
  onMount(() => void pages.reload());
  joinLive({
    event: 'story.answered',
    storyId: () => props.story.id,
    who: (body: Answered) => body.userId,
    list: pages,
    personOf: (item) => item.user,
    itemOf: (user, { option, answer, answeredAt }) => ({ user, option, answer, answeredAt }),
  });
  const poll = () => (props.story.sticker?.kind === 'poll' ? (props.story.sticker as Poll) : undefined);
  const title = () => {
    const sticker = props.story.sticker;
    return sticker?.kind === 'question'
      ? t('stories.answersCount', { count: sticker.answers ?? 0 })
      : t('stories.pollVotes', { count: sticker?.kind === 'poll' ? votesOf(sticker) : 0 });
  };
  return (
    <Dialog title={title()} onClose={props.onClose} testId="story-answers">
      <Show when={poll()}>
        {(shown) => (
          <div class="story-answers-results">
            <p class="story-answers-question" dir="auto">
              {shown().question}
            </p>
            <PollResults poll={shown()} counts />
          </div>
        )}
      </Show>
      <Show when={props.story.sticker?.kind === 'question' && props.story.sticker.prompt}>
        {(prompt) => (
          <p class="story-answers-question" dir="auto">
            {prompt()}
          </p>
        )}
      </Show>
      <ul class="people story-answers">
        <For each={pages.items()}>{(item) => <AnswerRow answer={item} options={poll()?.options} />}</For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('stories.noAnswers')} />
    </Dialog>
  );
}
