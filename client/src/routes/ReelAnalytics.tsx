// /reels/analytics (all the user's reels together) and /reels/:id/analytics (one of them): the
// figures since posting, views and watch time over the chosen days (7, 28 or 90), where views came
// from, the audience by language and country, and on the first page the reels with the most views
// in the period, each leading to its own page. Only the creator sees these (the server answers
// NOT_FOUND to anyone else); the figures are read again every minute while the page is open.
// Everything but the totals is a feature of Premium (`creatorAnalytics`): without it the page shows
// the totals and, in place of the rest, the way to the plans.
import { A, useParams } from '@solidjs/router';
import { ArrowLeft } from 'lucide-solid';
import { createEffect, For, type JSX, on, Show } from 'solid-js';
import { ProtocolError } from '../../../protocol/client.ts';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { UpgradeHint } from '../components/plans/UpgradeHint.tsx';
import {
  Audience,
  OverTime,
  PeriodPicker,
  planAware,
  Sources,
  TotalsGrid,
  Updated,
  useAnalytics,
} from '../components/reels/AnalyticsParts.tsx';
import { IconButton } from '../components/ui/Button.tsx';
import { EmptyState } from '../components/ui/EmptyState.tsx';
import { formatNumber, locale, t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import '../styles/analytics.css';

function Failure(props: { error: unknown }): JSX.Element {
  return (
    <Show
      when={props.error instanceof ProtocolError && props.error.code === 'NOT_FOUND'}
      fallback={<ErrorAlert text={props.error === undefined ? undefined : errorText(props.error)} />}
    >
      <p class="hint" data-testid="analytics-missing">
        {t('reelAnalytics.notFound')}
      </p>
    </Show>
  );
}

function Locked(): JSX.Element {
  return <UpgradeHint text={t('reelAnalytics.locked')} testId="analytics-locked" />;
}

export default function CreatorAnalytics(): JSX.Element {
  const plan = planAware((days, totalsOnly) => actions.call('reels.creatorAnalytics', totalsOnly ? { days, totalsOnly } : { days }));
  const analytics = useAnalytics(plan.read);
  const posted = (at: string) => new Date(at).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });
  return (
    <section class="card analytics" aria-labelledby="analytics-title" data-testid="creator-analytics">
      <h1 id="analytics-title">{t('reelAnalytics.title')}</h1>
      <p class="hint">{t('reelAnalytics.help')}</p>
      <Show when={!plan.locked()}>
        <PeriodPicker days={analytics.days()} onChoose={analytics.choose} />
      </Show>
      <Failure error={analytics.error()} />
      <Show when={analytics.data()}>
        {(data) => (
          <Show when={data().reels > 0} fallback={<EmptyState title={t('reelAnalytics.noReels')} />}>
            <Updated asOf={data().asOf} />
            <TotalsGrid totals={data().totals} />
            <Show when={data().series} fallback={<Locked />}>
              {(series) => <OverTime series={series()} from={data().from} to={data().to} />}
            </Show>
            <Show when={data().topReels}>
              {(topReels) => (
                <section aria-labelledby="analytics-top">
                  <h2 id="analytics-top">{t('reelAnalytics.topReels')}</h2>
                  <Show when={topReels().length > 0} fallback={<p class="hint">{t('reelAnalytics.noViews')}</p>}>
                    <ol class="analytics-top" data-testid="analytics-top">
                      <For each={topReels()}>
                        {(reel) => (
                          <li>
                            <A href={`/reels/${reel.reelId}/analytics`} data-reel-id={reel.reelId}>
                              <bdi dir="auto">{reel.caption || t('reelAnalytics.untitled')}</bdi>
                            </A>
                            <span class="hint">
                              <time datetime={reel.postedAt}>{posted(reel.postedAt)}</time>
                            </span>
                            <span class="analytics-value">
                              {t('reelAnalytics.topViews', { views: formatNumber(reel.views), total: formatNumber(reel.totalViews) })}
                            </span>
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                </section>
              )}
            </Show>
            <Show when={data().sources}>{(sources) => <Sources sources={sources()} />}</Show>
            <Show when={data().audience}>{(audience) => <Audience audience={audience()} />}</Show>
          </Show>
        )}
      </Show>
    </section>
  );
}

export function ReelAnalytics(): JSX.Element {
  const params = useParams();
  const plan = planAware((days, totalsOnly) =>
    actions.call('reels.analytics', totalsOnly ? { reelId: params.id ?? '', days, totalsOnly } : { reelId: params.id ?? '', days }),
  );
  const analytics = useAnalytics(plan.read);
  // Another reel's page in the same screen (a link from the top reels): its figures.
  createEffect(
    on(
      () => params.id,
      () => analytics.restart(),
      { defer: true },
    ),
  );
  return (
    <section class="card analytics" aria-labelledby="analytics-title" data-testid="reel-analytics">
      <div class="row analytics-head">
        <IconButton icon={ArrowLeft} label={t('reelAnalytics.back')} href="/reels/analytics" />
        <h1 id="analytics-title">{t('reelAnalytics.reelTitle')}</h1>
      </div>
      <Show when={!plan.locked()}>
        <PeriodPicker days={analytics.days()} onChoose={analytics.choose} />
      </Show>
      <Failure error={analytics.error()} />
      <Show when={analytics.data()}>
        {(data) => (
          <>
            <Updated asOf={data().asOf} />
            <TotalsGrid totals={data().totals} />
            <Show when={data().series} fallback={<Locked />}>
              {(series) => <OverTime series={series()} from={data().from} to={data().to} />}
            </Show>
            <Show when={data().sources}>{(sources) => <Sources sources={sources()} />}</Show>
            <Show when={data().audience}>{(audience) => <Audience audience={audience()} />}</Show>
          </>
        )}
      </Show>
    </section>
  );
}
