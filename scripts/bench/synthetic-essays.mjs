// @ts-check
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapLocales } from '../../src/i18n/locales.ts';

/** @typedef {import('../../src/i18n/locales.ts').Locale} Locale */

/**
 * Deterministic synthetic essays for benchmarks: plain Markdown plus one Callout, so the
 * same files build in duizhao and in a bare Astro + MDX project.
 */

/**
 * @typedef {object} Random
 * @property {() => number} nextFloat a number in [0, 1)
 * @property {(min: number, max: number) => number} pickInteger an integer in [min, max]
 * @property {<T>(items: readonly T[]) => T} pickItem
 * @property {<T>(items: readonly T[], count: number) => T[]} pickSample `count` distinct items, in list order
 */

/**
 * @typedef {object} SyntheticEssay
 * @property {string} slug folder name under content/essays
 * @property {Record<Locale, string>} files MDX source of each translation
 */

/**
 * @typedef {object} EssayPlan what both translations share, decided before any body is written
 * @property {string} slug
 * @property {Record<Locale, string>} titles
 * @property {string} published ISO date
 * @property {string | undefined} updated ISO date
 * @property {string} category
 * @property {string[]} tags
 * @property {number} linkedIndex the other synthetic essay this one links to
 */

/** Target length of each translation's prose. */
export const essayLength = { zhCharacters: 2500, enWords: 1200 };

const sectionCount = 5;
const firstDay = Date.UTC(2020, 0, 1);
const lastDay = Date.UTC(2025, 11, 31);
const dayMs = 24 * 60 * 60 * 1000;
const hanPattern = /\p{Script=Han}/gu;

/**
 * A seeded PRNG (mulberry32): the same seed gives the same essays on every machine.
 * @param {number} seed
 * @returns {Random}
 */
export function createRandom(seed) {
  let state = seed >>> 0;
  const nextFloat = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  /** @type {Random['pickInteger']} */
  const pickInteger = (min, max) => min + Math.floor(nextFloat() * (max - min + 1));
  /**
   * @template T
   * @param {readonly T[]} items
   * @returns {T}
   */
  function pickItem(items) {
    const item = items[pickInteger(0, items.length - 1)];
    if (item === undefined) throw new Error('pickItem needs a non-empty list');
    return item;
  }
  /**
   * @template T
   * @param {readonly T[]} items
   * @param {number} count
   * @returns {T[]}
   */
  function pickSample(items, count) {
    const indexes = new Set();
    while (indexes.size < Math.min(count, items.length)) indexes.add(pickInteger(0, items.length - 1));
    return items.filter((_, index) => indexes.has(index));
  }
  return { nextFloat, pickInteger, pickItem, pickSample };
}

const zhPools = {
  openings: [
    '在过去几年里',
    '从某种意义上说',
    '如果把时间线拉长来看',
    '随着流量成本不断上升',
    '在没有明确规则的情况下',
    '对很多第一次接触的人来说',
    '在一线城市和县城之间',
    '回头看这段变化',
    '从平台公开的数据看',
    '在讨论这个问题之前',
  ],
  subjects: [
    '平台的推荐算法',
    '年轻用户',
    '内容创作者',
    '品牌方',
    '审核团队',
    '这类社区',
    '普通读者',
    '数据分析师',
    '早期用户',
    '运营人员',
    '海外用户',
    '中小商家',
  ],
  predicates: [
    '逐渐改变了信息流的节奏',
    '重新定义了什么是值得分享的内容',
    '把注意力从搜索转向了推荐',
    '开始用图文笔记代替长篇评测',
    '在规则和流量之间反复试探',
    '学会了用标签组织自己的经验',
    '把生活方式变成了一种可以交易的商品',
    '对同质化的内容越来越敏感',
    '不得不面对更严格的审核标准',
    '在两个平台之间来回迁移',
  ],
  endings: [
    '这一点在数据里体现得很清楚',
    '但背后的原因远比表面复杂',
    '也让很多人开始反思自己的使用习惯',
    '这种变化并不是一夜之间发生的',
    '而平台本身很少正面回应',
    '这在早期几乎无法想象',
    '结果往往出乎所有人的预料',
    '其中的代价很少被认真计算',
  ],
  headings: [
    '背景与缘起',
    '数据告诉我们什么',
    '推荐算法的逻辑',
    '创作者的处境',
    '审核的边界',
    '跨平台的迁移',
    '商业化的压力',
    '用户的真实感受',
    '被忽视的细节',
    '接下来会怎样',
  ],
  titleHeads: ['从笔记到搜索', '流量之外', '算法与生活', '迁移的一年', '看不见的规则', '标签的政治', '种草经济', '两个平台的对照'],
  titleTails: ['：一次观察', '的变化', '背后的逻辑', '与它的代价', '的十个细节', '：数据与故事'],
  platforms: ['小红书', '抖音', 'TikTok', '微博', 'B站', '知乎'],
};

const enPools = {
  openings: [
    'Over the past few years',
    'In a sense',
    'Seen over a longer timeline',
    'As the cost of traffic kept rising',
    'Without any clear rules in place',
    'For many first-time users',
    'Between the big cities and the smaller towns',
    'Looking back at the change',
    'Judging by the figures the platforms publish',
    'Before we get to the question itself',
  ],
  subjects: [
    'the recommendation algorithm',
    'younger users',
    'independent creators',
    'brands and their agencies',
    'the moderation team',
    'communities like this one',
    'ordinary readers',
    'data analysts',
    'the earliest users',
    'the operations staff',
    'users abroad',
    'small merchants',
  ],
  predicates: [
    'slowly changed the rhythm of the feed',
    'redefined what counts as worth sharing',
    'shifted attention from search to recommendation',
    'began replacing long reviews with short illustrated notes',
    'kept testing the line between the rules and the reach',
    'learned to organise their experience with tags',
    'turned a way of living into something that can be sold',
    'grew more sensitive to content that all looks the same',
    'had to face much stricter review standards',
    'moved back and forth between two platforms',
  ],
  endings: [
    'and the numbers show it plainly',
    'but the reasons run deeper than they first appear',
    'which made many people rethink their own habits',
    'and none of it happened overnight',
    'while the platforms themselves rarely said a word',
    'something that would have been hard to imagine at first',
    'with results that surprised almost everyone',
    'at a cost that is seldom counted with any care',
  ],
  headings: [
    'Background',
    'What the data says',
    'How the algorithm thinks',
    'Where creators stand',
    'The limits of moderation',
    'Moving between platforms',
    'The pressure to monetise',
    'How users really feel',
    'Details that get missed',
    'What comes next',
  ],
  titleHeads: [
    'From notes to search',
    'Beyond the traffic',
    'Algorithms and everyday life',
    'A year of migration',
    'The invisible rules',
    'The politics of tags',
    'The seeding economy',
    'Two platforms side by side',
  ],
  titleTails: [
    ': an observation',
    ', and how it changed',
    ': the logic behind it',
    ', and what it costs',
    ': ten details',
    ': data and stories',
  ],
  platforms: ['RedNote', 'Douyin', 'TikTok', 'Weibo', 'Bilibili', 'Zhihu'],
};

/** @param {number} time */
function toIsoDate(time) {
  return new Date(time).toISOString().slice(0, 10);
}

/** @param {Random} random */
function writeZhSentence(random) {
  return `${random.pickItem(zhPools.openings)}，${random.pickItem(zhPools.subjects)}${random.pickItem(zhPools.predicates)}，${random.pickItem(zhPools.endings)}。`;
}

/** @param {Random} random */
function writeEnSentence(random) {
  return `${random.pickItem(enPools.openings)}, ${random.pickItem(enPools.subjects)} ${random.pickItem(enPools.predicates)}, ${random.pickItem(enPools.endings)}.`;
}

/** @param {string} text */
function countHan(text) {
  return text.match(hanPattern)?.length ?? 0;
}

/** @param {string} text */
function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * Paragraphs of four to six sentences, about `budget` units (Han characters or words) in all.
 * @param {Random} random
 * @param {number} budget
 * @param {(random: Random) => string} writeSentence
 * @param {(text: string) => number} countUnits
 * @param {string} joiner what separates sentences: nothing in Chinese, a space in English
 */
function writeParagraphs(random, budget, writeSentence, countUnits, joiner) {
  /** @type {string[][]} */
  const paragraphs = [];
  let used = 0;
  let paragraphLength = 0;
  while (used < budget) {
    const current = paragraphs.at(-1);
    if (!current || current.length >= paragraphLength) {
      paragraphs.push([]);
      paragraphLength = random.pickInteger(4, 6);
      continue;
    }
    const sentence = writeSentence(random);
    const units = countUnits(sentence);
    // Stop at whichever side of the budget is nearer, so essays land on the target on average.
    if (used + units / 2 > budget && used > 0) break;
    current.push(sentence);
    used += units;
  }
  return paragraphs.map((sentences) => sentences.join(joiner));
}

/**
 * @param {Random} random
 * @param {readonly string[]} platforms
 * @param {readonly string[]} header
 */
function writeTable(random, platforms, header) {
  const rows = random.pickSample(platforms, 4).map((platform) => {
    const users = random.pickInteger(20, 900);
    const growth = random.pickInteger(-15, 40);
    return `| ${platform} | ${users} | ${growth >= 0 ? '+' : ''}${growth}% |`;
  });
  return [`| ${header.join(' | ')} |`, '| --- | ---: | ---: |', ...rows].join('\n');
}

/**
 * @param {Locale} locale
 * @param {EssayPlan} plan
 * @param {string} summary
 */
function writeFrontmatter(locale, plan, summary) {
  const lines = [
    '---',
    `title: ${JSON.stringify(plan.titles[locale])}`,
    `summary: ${JSON.stringify(summary)}`,
    `published: ${plan.published}`,
    ...(plan.updated ? [`updated: ${plan.updated}`] : []),
    `category: ${plan.category}`,
    `tags: [${plan.tags.join(', ')}]`,
    '---',
  ];
  return lines.join('\n');
}

/**
 * @typedef {object} Language how one translation is written
 * @property {typeof zhPools} pools
 * @property {(random: Random) => string} writeSentence
 * @property {(text: string) => number} countUnits Han characters in Chinese, words in English
 * @property {string} joiner what separates sentences: nothing in Chinese, a space in English
 * @property {(number: number) => string} numberTitle what follows a title to number it: （7） in Chinese, (7) in English
 * @property {number} target units of prose per essay
 * @property {readonly string[]} tableHeader
 * @property {(plan: EssayPlan, linked: EssayPlan) => { source: string, callout: string, crossReference: string, footnoteCall: string, footnote: string }} writeFixedParts
 */

/** @type {Record<Locale, Language>} */
const languages = {
  zh: {
    pools: zhPools,
    writeSentence: writeZhSentence,
    countUnits: countHan,
    joiner: '',
    numberTitle: (number) => `（${number}）`,
    target: essayLength.zhCharacters,
    tableHeader: ['平台', '月活（百万）', '同比'],
    writeFixedParts: (plan, linked) => ({
      source: `本文的原始数据来自[平台公开报告](https://example.com/reports/${plan.slug})，引用时请注意口径差异。`,
      callout: '<Callout type="info">文中的数字均为合成数据，只用于构建基准测试。</Callout>',
      crossReference: `关于这一点，可以对照阅读[《${linked.titles.zh}》](/zh/essays/${linked.slug}/)，那里有更详细的讨论。`,
      footnoteCall: `这个结论并不新鲜[^1]，但值得在新的数据上重新检验，详见[研究综述](https://example.org/review/${plan.slug})。`,
      footnote: '[^1]: 早在多年前就有研究者提出过类似的看法，只是当时缺少足够的数据支持。',
    }),
  },
  en: {
    pools: enPools,
    writeSentence: writeEnSentence,
    countUnits: countWords,
    joiner: ' ',
    numberTitle: (number) => ` (${number})`,
    target: essayLength.enWords,
    tableHeader: ['Platform', 'Monthly users (m)', 'Year on year'],
    writeFixedParts: (plan, linked) => ({
      source: `The raw figures come from [the platform's public report](https://example.com/reports/${plan.slug}); definitions differ between years.`,
      callout: '<Callout type="info">Every number in this essay is synthetic, made for the build benchmark.</Callout>',
      crossReference: `On this point, compare [${linked.titles.en}](/en/essays/${linked.slug}/), which goes into more detail.`,
      footnoteCall: `None of this is new[^1], but it is worth testing again against fresh data; see [the literature review](https://example.org/review/${plan.slug}).`,
      footnote: '[^1]: Researchers made a similar argument years ago, without the data to back it.',
    }),
  },
};

/**
 * One translation: five `##` sections of prose, with a source link and a Callout in the first,
 * a table in the second, a link to another synthetic essay in the third and a footnote in the fourth.
 * @param {Random} random
 * @param {Locale} locale
 * @param {EssayPlan} plan
 * @param {EssayPlan} linked
 */
function writeEssay(random, locale, plan, linked) {
  const language = languages[locale];
  const fixed = language.writeFixedParts(plan, linked);
  const headings = random.pickSample(language.pools.headings, sectionCount);
  const table = writeTable(random, language.pools.platforms, language.tableHeader);
  const fixedUnits = [...headings, ...Object.values(fixed), table].reduce((sum, text) => sum + language.countUnits(text), 0);
  const budget = (language.target - fixedUnits) / sectionCount;
  const sections = headings.map((heading) => [
    `## ${heading}`,
    ...writeParagraphs(random, budget, language.writeSentence, language.countUnits, language.joiner),
  ]);
  const [first, second, third, fourth] = sections;
  if (!first || !second || !third || !fourth) throw new Error('an essay needs at least four sections');
  first.splice(1, 0, fixed.source);
  first.push(fixed.callout);
  second.push(table);
  third.push(fixed.crossReference);
  fourth.push(fixed.footnoteCall);
  const body = [...sections.flat(), fixed.footnote].join('\n\n');
  return `${writeFrontmatter(locale, plan, language.writeSentence(random))}\n\n${body}\n`;
}

/**
 * @param {Random} random
 * @param {number} index
 * @param {number} count
 * @param {{ tagIds: readonly string[], categoryIds: readonly string[] }} taxonomy
 * @returns {EssayPlan}
 */
function planEssay(random, index, count, taxonomy) {
  const width = Math.max(4, String(count).length);
  const publishedTime = firstDay + random.pickInteger(0, (lastDay - firstDay) / dayMs) * dayMs;
  const isUpdated = random.nextFloat() < 0.25;
  const updatedTime = Math.min(lastDay, publishedTime + random.pickInteger(1, 400) * dayMs);
  const titleHead = random.pickInteger(0, zhPools.titleHeads.length - 1);
  const titleTail = random.pickInteger(0, zhPools.titleTails.length - 1);
  const number = index + 1;
  return {
    slug: `bench-${String(number).padStart(width, '0')}`,
    titles: mapLocales((locale) => {
      const { pools, numberTitle } = languages[locale];
      return `${pools.titleHeads[titleHead]}${pools.titleTails[titleTail]}${numberTitle(number)}`;
    }),
    published: toIsoDate(publishedTime),
    updated: isUpdated ? toIsoDate(updatedTime) : undefined,
    category: random.pickItem(taxonomy.categoryIds),
    tags: random.pickSample(taxonomy.tagIds, random.pickInteger(1, Math.min(3, taxonomy.tagIds.length))),
    // Never itself (when there is another essay), spread across the whole set.
    linkedIndex: count > 1 ? (index + random.pickInteger(1, count - 1)) % count : index,
  };
}

/**
 * Plans and writes `count` essay pairs; the same seed and taxonomy give byte-identical files.
 * @param {{ count: number, seed: number, tagIds: readonly string[], categoryIds: readonly string[] }} options
 * @returns {SyntheticEssay[]}
 */
export function createSyntheticEssays({ count, seed, tagIds, categoryIds }) {
  if (tagIds.length === 0 || categoryIds.length === 0) throw new Error('synthetic essays need at least one tag and one category');
  const random = createRandom(seed);
  const plans = Array.from({ length: count }, (_, index) => planEssay(random, index, count, { tagIds, categoryIds }));
  return plans.map((plan) => {
    const linked = plans[plan.linkedIndex] ?? plan;
    return { slug: plan.slug, files: mapLocales((locale) => writeEssay(random, locale, plan, linked)) };
  });
}

/**
 * Writes essays as `<dir>/<slug>/zh.mdx` and `en.mdx`.
 * @param {string} dir
 * @param {readonly SyntheticEssay[]} essays
 */
export function writeSyntheticEssays(dir, essays) {
  for (const essay of essays) {
    const essayDir = join(dir, essay.slug);
    mkdirSync(essayDir, { recursive: true });
    writeFileSync(join(essayDir, 'zh.mdx'), essay.files.zh);
    writeFileSync(join(essayDir, 'en.mdx'), essay.files.en);
  }
}
