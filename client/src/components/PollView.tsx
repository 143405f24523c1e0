// A poll: each option with its bar and count. Tapping an option votes (or changes the vote, or,
// for a multiple-choice poll, adds or removes that choice); "withdraw" takes every vote back. The
// bars move at once and return when the server refuses; a closed poll only shows its results.
import { For, type JSX, Show } from 'solid-js';
import { formatRelative, t } from '../i18n/index.ts';
import { choose, type Poll, voted } from '../state/posts.ts';
import { actions, errorText } from '../state/store.ts';

export function PollView(props: {
  postId: string;
  poll: Poll;
  send: (positions: number[]) => Promise<Poll>;
  onChange: (poll: Poll) => void;
}): JSX.Element {
  const vote = async (positions: number[]) => {
    const before = props.poll;
    props.onChange(voted(before, positions));
    try {
      props.onChange(await props.send(positions));
    } catch (error) {
      props.onChange(before);
      actions.toast(errorText(error), 'error');
    }
  };
  const share = (votes: number) => (props.poll.voters === 0 ? 0 : Math.round((votes / props.poll.voters) * 100));
  return (
    <fieldset class="poll" data-testid="poll">
      <legend>{props.poll.multiple ? t('poll.multiple') : t('poll.single')}</legend>
      <div class="poll-options">
        <For each={props.poll.options}>
          {(option, index) => (
            <label class="poll-option" classList={{ chosen: props.poll.myVotes.includes(index()) }}>
              <span class="bar" style={{ 'inline-size': `${share(option.votes)}%` }} aria-hidden="true" />
              <input
                class="poll-choice"
                type={props.poll.multiple ? 'checkbox' : 'radio'}
                name={`poll-${props.postId}`}
                checked={props.poll.myVotes.includes(index())}
                disabled={props.poll.closed}
                onChange={() => void vote(choose(props.poll, index()))}
              />
              <bdi class="label">{option.text}</bdi>
              <span class="n" data-testid="poll-votes">
                {t('poll.votes', { count: option.votes, percent: share(option.votes) })}
              </span>
            </label>
          )}
        </For>
      </div>
      <p class="hint">
        <span data-testid="poll-voters">{t('poll.voters', { count: props.poll.voters })}</span>
        {' · '}
        {props.poll.closed
          ? t('poll.closed')
          : props.poll.closesAt === null
            ? t('poll.open')
            : t('poll.closes', { when: formatRelative(props.poll.closesAt) })}
      </p>
      <Show when={!props.poll.closed && props.poll.myVotes.length > 0}>
        <button type="button" class="link" onClick={() => void vote([])}>
          {t('poll.withdraw')}
        </button>
      </Show>
    </fieldset>
  );
}
