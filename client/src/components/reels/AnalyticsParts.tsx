// The pieces both analytics pages are made of: the period picker, the figures since posting, the
// chart of views and watch time over the days with its table, the proportional rows of where views
// came from and of the audience by language and country, and the refresh every minute. Names of
// languages and countries come from Intl.DisplayNames in the reader's language.
import { createSignal, For, type JSX, lazy, onCleanup, onMount, Show, Suspense } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { ProtocolError } from '../../../../protocol/client.ts';
import { REEL_ANALYTICS_LIMITS, REEL_SOURCES } from '../../../../protocol/lists.ts';
import { formatNumber, locale, t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import { Button } from '../ui/Button.tsx';

type Analytics = CallResponse<'reels.analytics'>;
type Totals = Analytics['totals'];
type Day = NonNullable<Analytics['series']>[number];
type Share = NonNullable<Analytics['audience']>['languages'];

const SeriesChart = lazy(() => import('./SeriesChart.tsx').then((module) => ({ default: module.SeriesChart })));

/** How often an open page asks again: figures are read when asked, so a minute old at most. */
const REFRESH_MS = 60_000;
const PERIODS = [7, REEL_ANALYTICS_LIMITS.defaultDays, REEL_ANALYTICS_LIMITS.maxDays] as const;

const formatDays = (days: number) => new Intl.NumberFormat(locale(), { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(days);
const formatPercent = (share: number) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(share);
/** Watch time as hours and minutes, or seconds when under a minute, in the reader's language. */
function formatWatch(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes);
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 }).format(
    minutes / 60,
  );
}
const formatDay = (day: string) =>
  new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );

/**
 * Reads the figures in full, or, for a reader whose plan lacks `creatorAnalytics` (PLAN_REQUIRED),
 * the totals alone, asked for directly from then on; `locked` says which.
 */
export function planAware<R>(read: (days: number, totalsOnly: boolean) => Promise<R>) {
  const [locked, setLocked] = createSignal(false);
  return {
    locked,
    async read(days: number): Promise<R> {
      if (!locked()) {
        try {
          return await read(days, false);
        } catch (failed) {
          if (!(failed instanceof ProtocolError && failed.code === 'PLAN_REQUIRED')) throw failed;
          setLocked(true);
        }
      }
      return read(days, true);
    },
  };
}

/** Loads with `read`, again every minute while the page is open and shown, and when the period changes. */
export function useAnalytics<R>(read: (days: number) => Promise<R>) {
  const [days, setDays] = createSignal<number>(REEL_ANALYTICS_LIMITS.defaultDays);
  const [data, setData] = createSignal<R>();
  const [error, setError] = createSignal<unknown>();
  let asked = 0;
  async function load() {
    const mine = ++asked;
    try {
      const found = await read(days());
      if (mine !== asked) return;
      setData(() => found);
      setError(undefined);
    } catch (failed) {
      if (mine !== asked) return;
      setError(() => failed);
      // Deleted since (or never the reader's): the figures shown are no longer theirs to see.
      if (failed instanceof ProtocolError && failed.code === 'NOT_FOUND') setData(undefined);
    }
  }
  onMount(() => {
    void load();
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) void load();
    }, REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });
  return {
    days,
    data,
    error,
    choose(next: number) {
      setDays(next);
      void load();
    },
    /** Another subject (a reel's page showing another reel): nothing of the previous one stays. */
    restart() {
      setData(undefined);
      setError(undefined);
      void load();
    },
  };
}

export function PeriodPicker(props: { days: number; onChoose: (days: number) => void }): JSX.Element {
  return (
    <fieldset class="analytics-periods">
      <legend class="visually-hidden">{t('reelAnalytics.period')}</legend>
      <For each={PERIODS}>
        {(days) => (
          <Button
            size="sm"
            variant={props.days === days ? 'primary' : 'secondary'}
            aria-pressed={props.days === days}
            onClick={() => props.onChoose(days)}
          >
            {formatDays(days)}
          </Button>
        )}
      </For>
    </fieldset>
  );
}

export function TotalsGrid(props: { totals: Totals }): JSX.Element {
  const tiles = (): [MessageKey, string][] => [
    ['reelAnalytics.views', formatNumber(props.totals.views)],
    ['reelAnalytics.uniqueViewers', formatNumber(props.totals.uniqueViewers)],
    ['reelAnalytics.watchTime', formatWatch(props.totals.watchMs)],
    ['reelAnalytics.averageWatch', formatWatch(props.totals.averageWatchMs)],
    ['reelAnalytics.completionRate', formatPercent(props.totals.completionRate)],
    ['reelAnalytics.reactions', formatNumber(props.totals.reactions)],
    ['reelAnalytics.comments', formatNumber(props.totals.comments)],
    ['reelAnalytics.shares', formatNumber(props.totals.shares)],
    ['reelAnalytics.saves', formatNumber(props.totals.saves)],
    ['reelAnalytics.followersGained', formatNumber(props.totals.followersGained)],
  ];
  return (
    <section aria-labelledby="analytics-totals">
      <h2 id="analytics-totals">{t('reelAnalytics.totals')}</h2>
      <dl class="analytics-totals" data-testid="analytics-totals">
        <For each={tiles()}>
          {([key, value]) => (
            <div class="analytics-tile">
              <dt>{t(key)}</dt>
              <dd>{value}</dd>
            </div>
          )}
        </For>
      </dl>
    </section>
  );
}

/** The days as a chart (views, and watch time in minutes) and as a table with every figure. */
export function OverTime(props: { series: (Day & { followers?: number })[]; from: string; to: string }): JSX.Element {
  const views = () => props.series.reduce((sum, day) => sum + day.views, 0);
  const watch = () => props.series.reduce((sum, day) => sum + day.watchMs, 0);
  const columns = (): [MessageKey, (day: Day & { followers?: number }) => string][] => [
    ['reelAnalytics.views', (day) => formatNumber(day.views)],
    ['reelAnalytics.watchTime', (day) => formatWatch(day.watchMs)],
    ['reelAnalytics.reactions', (day) => formatNumber(day.reactions)],
    ['reelAnalytics.comments', (day) => formatNumber(day.comments)],
    ['reelAnalytics.shares', (day) => formatNumber(day.shares)],
    ['reelAnalytics.saves', (day) => formatNumber(day.saves)],
    ['reelAnalytics.followersGained', (day) => formatNumber(day.followersGained)],
    ...(props.series[0]?.followers === undefined
      ? []
      : [
          ['reelAnalytics.followers', (day: Day & { followers?: number }) => formatNumber(day.followers ?? 0)] as [
            MessageKey,
            (day: Day) => string,
          ],
        ]),
  ];
  return (
    <section aria-labelledby="analytics-time">
      <h2 id="analytics-time">{t('reelAnalytics.overTime')}</h2>
      <Suspense fallback={<div class="analytics-chart" aria-hidden="true" />}>
        <SeriesChart
          days={props.series.map((day) => day.day)}
          label={t('reelAnalytics.chartLabel', {
            from: formatDay(props.from),
            to: formatDay(props.to),
            views: formatNumber(views()),
            watch: formatWatch(watch()),
          })}
          lines={[
            { label: t('reelAnalytics.views'), values: props.series.map((day) => day.views), color: '--color-primary' },
            {
              label: t('reelAnalytics.watchMinutes'),
              values: props.series.map((day) => Math.round(day.watchMs / 60_000)),
              color: '--color-focus',
              secondAxis: true,
            },
          ]}
        />
      </Suspense>
      <details class="analytics-table">
        <summary>{t('reelAnalytics.showTable')}</summary>
        <div class="analytics-scroll">
          <table data-testid="analytics-days">
            <thead>
              <tr>
                <th scope="col">{t('reelAnalytics.day')}</th>
                <For each={columns()}>{([key]) => <th scope="col">{t(key)}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={props.series}>
                {(day) => (
                  <tr>
                    <th scope="row">
                      <time datetime={day.day}>{formatDay(day.day)}</time>
                    </th>
                    <For each={columns()}>{([, value]) => <td>{value(day)}</td>}</For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/** Rows with a bar as long as each share of the whole; the numbers are text, so nothing is only drawn. */
function Proportions(props: { id: string; title: string; rows: { label: string; value: number }[]; help?: string }): JSX.Element {
  const total = () => props.rows.reduce((sum, row) => sum + row.value, 0);
  return (
    <section aria-labelledby={props.id} class="analytics-proportions">
      <h2 id={props.id}>{props.title}</h2>
      <Show when={props.help}>
        <p class="hint">{props.help}</p>
      </Show>
      <Show when={total() > 0} fallback={<p class="hint">{t('reelAnalytics.noViews')}</p>}>
        <ul data-testid={props.id}>
          <For each={props.rows}>
            {(row) => (
              <li>
                <span class="analytics-label">
                  <bdi>{row.label}</bdi>
                </span>
                <span class="analytics-bar" aria-hidden="true">
                  <span style={{ 'inline-size': `${(row.value / total()) * 100}%` }} />
                </span>
                <span class="analytics-value">
                  {formatNumber(row.value)} <span class="hint">({formatPercent(row.value / total())})</span>
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

export function Sources(props: { sources: NonNullable<Analytics['sources']> }): JSX.Element {
  return (
    <Proportions
      id="analytics-sources"
      title={t('reelAnalytics.sources')}
      rows={REEL_SOURCES.map((source) => ({ label: t(`reelAnalytics.source.${source}`), value: props.sources[source] }))}
    />
  );
}

function nameOf(kind: 'language' | 'region', key: string): string {
  if (key === 'other') return t('reelAnalytics.other');
  if (key === 'unknown') return t('reelAnalytics.unknown');
  try {
    return new Intl.DisplayNames([locale()], { type: kind }).of(key) ?? key;
  } catch {
    // A code Intl does not know (a malformed locale on a profile): shown as it is.
    return key;
  }
}

export function Audience(props: { audience: { languages: Share; countries: Share } }): JSX.Element {
  return (
    <>
      <Proportions
        id="analytics-languages"
        title={t('reelAnalytics.languages')}
        rows={props.audience.languages.map((row) => ({ label: nameOf('language', row.key), value: row.viewers }))}
      />
      <Proportions
        id="analytics-countries"
        title={t('reelAnalytics.countries')}
        help={t('reelAnalytics.countryHelp')}
        rows={props.audience.countries.map((row) => ({ label: nameOf('region', row.key), value: row.viewers }))}
      />
    </>
  );
}

export function Updated(props: { asOf: string }): JSX.Element {
  const time = () => new Date(props.asOf).toLocaleTimeString(locale(), { hour: 'numeric', minute: '2-digit' });
  return (
    <p class="hint" data-testid="analytics-updated">
      {t('reelAnalytics.updated', { time: time() })}
    </p>
  );
}
