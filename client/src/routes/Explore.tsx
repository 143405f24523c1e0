// /explore: finding people, pets and what is being talked about: search for people, hashtags
// trending in the user's region, people the user may know and pets to meet.
import type { JSX } from 'solid-js';
import { PeopleSearch } from '../components/PeopleSearch.tsx';
import { PetSuggestions } from '../components/PetSuggestions.tsx';
import { Suggestions } from '../components/Suggestions.tsx';
import { Trending } from '../components/Trending.tsx';
import { t } from '../i18n/index.ts';

export default function Explore(): JSX.Element {
  return (
    <section class="stack" aria-labelledby="explore-title">
      <h1 id="explore-title">{t('explore.title')}</h1>
      <div class="card">
        <PeopleSearch />
      </div>
      <div class="card">
        <Trending />
      </div>
      <div class="card">
        <Suggestions limit={10} titleId="explore-suggestions" />
      </div>
      <div class="card">
        <PetSuggestions limit={12} />
      </div>
    </section>
  );
}
