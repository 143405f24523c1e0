// /pricing: the four plans side by side (one column on phones), each with its monthly price in
// the chosen currency (the wallet's choice: pesos for a Mexican locale, else dollars; switchable),
// its monthly treats and what it unlocks, in plain words. The person's plan is marked; it and the
// plans below it cannot be bought while it is live (the server would answer ALREADY_SUBSCRIBED).
// Choosing a plan opens the checkout sheet. `subscriptions.changed` keeps the mark live.
import { Check, CreditCard, Minus, Sparkles } from 'lucide-solid';
import { createResource, createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { ENTITLEMENTS, PLAN_IDS } from '../../../protocol/lists.ts';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { CurrencySwitch } from '../components/payments/CurrencySwitch.tsx';
import type { Method } from '../components/payments/methods.ts';
import { type Currency, formatPrice, preferredCurrency } from '../components/payments/price.ts';
import { CheckoutSheet, type Plan } from '../components/plans/CheckoutSheet.tsx';
import { ENTITLEMENT_TEXT, type PlanId, planName } from '../components/plans/planText.ts';
import { Button } from '../components/ui/Button.tsx';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import '../styles/wallet.css';
import '../styles/plans.css';

type Offer = CallResponse<'subscriptions.plans'>;
type Mine = Offer['mine'];

const rank = (plan: PlanId) => PLAN_IDS.indexOf(plan);

export default function Pricing(): JSX.Element {
  const [offer, { mutate }] = createResource(async () => {
    try {
      return await actions.call('subscriptions.plans', {});
    } catch (error) {
      setFailure(errorText(error));
      return undefined;
    }
  });
  const [failure, setFailure] = createSignal<string | undefined>();
  const [currency, setCurrency] = createSignal<Currency>(preferredCurrency());
  const [choosing, setChoosing] = createSignal<Plan | undefined>();
  const mine = () => offer()?.mine;

  onMount(() =>
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name !== 'subscriptions.changed') return;
        const body = event.body as Omit<Mine, 'subscription'> & { subscription: NonNullable<Mine['subscription']> };
        mutate((before) => before && { ...before, mine: { ...body } });
      }),
    ),
  );

  /** What a plan's button does for this person: choose it, or nothing (theirs, or below theirs). */
  const standing = (plan: PlanId): 'current' | 'included' | 'choose' | 'upgrade' => {
    const now = mine()?.plan ?? 'free';
    if (plan === now) return 'current';
    if (rank(plan) < rank(now)) return 'included';
    return now === 'free' ? 'choose' : 'upgrade';
  };

  return (
    <section class="card pricing" aria-labelledby="pricing-title" data-testid="pricing">
      <header class="pricing-head">
        <h1 id="pricing-title" class="wallet-title">
          <Sparkles size={24} aria-hidden="true" /> {t('plans.title')}
        </h1>
        <p class="hint">{t('plans.intro')}</p>
        <div class="pricing-tools">
          <CurrencySwitch currency={currency()} onChange={setCurrency} />
          <Button href="/billing" size="sm" variant="ghost" icon={CreditCard}>
            {t('billing.title')}
          </Button>
        </div>
      </header>
      <ErrorAlert text={failure()} />
      <Show when={offer()}>
        {(loaded) => (
          <ul class="plans" data-testid="plans">
            <For each={loaded().plans}>
              {(plan) => {
                const price = () => formatPrice(plan.prices[currency()], currency());
                const mark = () => standing(plan.id);
                return (
                  <li
                    class="plan"
                    classList={{ current: mark() === 'current', featured: plan.id === 'premium' }}
                    data-testid={`plan-${plan.id}`}
                    aria-labelledby={`plan-${plan.id}-name`}
                  >
                    <div class="plan-top">
                      <h2 id={`plan-${plan.id}-name`} class="plan-name">
                        {planName(plan.id)}
                      </h2>
                      <Show when={mark() === 'current'}>
                        <span class="plan-flag" data-testid="plan-current">
                          {t('plans.current')}
                        </span>
                      </Show>
                    </div>
                    <p class="plan-price">
                      <Show when={plan.id !== 'free'} fallback={<strong>{formatPrice(0, currency())}</strong>}>
                        <strong data-testid="plan-price">{price()}</strong>
                      </Show>{' '}
                      <span class="hint">{t('plans.perMonth')}</span>
                    </p>
                    <ul class="plan-features">
                      <li class="included">
                        <Check size={16} aria-hidden="true" />
                        <span>{t('plans.monthlyTreats', { treats: t('wallet.treats', { count: plan.monthlyTreats }) })}</span>
                      </li>
                      <For each={ENTITLEMENTS}>
                        {(entitlement) => {
                          const has = plan.entitlements.includes(entitlement);
                          return (
                            <li classList={{ included: has, excluded: !has }}>
                              {has ? <Check size={16} aria-hidden="true" /> : <Minus size={16} aria-hidden="true" />}
                              <span>
                                <Show when={!has}>
                                  <span class="visually-hidden">{t('plans.notIncluded')}: </span>
                                </Show>
                                {t(ENTITLEMENT_TEXT[entitlement])}
                              </span>
                            </li>
                          );
                        }}
                      </For>
                    </ul>
                    <div class="plan-action">
                      <Show
                        when={plan.id !== 'free' && (mark() === 'choose' || mark() === 'upgrade')}
                        fallback={
                          <Button variant="secondary" disabled>
                            {mark() === 'current' ? t('plans.currentButton') : t('plans.included')}
                          </Button>
                        }
                      >
                        <Button
                          variant={plan.id === 'premium' ? 'primary' : 'secondary'}
                          onClick={() => setChoosing(plan as Plan)}
                          data-testid={`choose-${plan.id}`}
                        >
                          {mark() === 'upgrade'
                            ? t('plans.upgrade', { plan: planName(plan.id) })
                            : t('plans.choose', { plan: planName(plan.id) })}
                        </Button>
                      </Show>
                    </div>
                  </li>
                );
              }}
            </For>
          </ul>
        )}
      </Show>
      <Show when={offer()?.methods.length === 0}>
        <p class="hint">{t('plans.noMethods')}</p>
      </Show>
      <Show when={choosing()}>
        {(plan) => (
          <CheckoutSheet
            plan={plan()}
            methods={(offer()?.methods ?? []) as Method[]}
            currency={currency()}
            onCurrency={setCurrency}
            onClose={() => setChoosing(undefined)}
          />
        )}
      </Show>
    </section>
  );
}
