/**
 * Words and names that mark what is not a recording, or not its title: interface sounds, control
 * labels, dates, keys of pictures, videos and other pages.
 */

export const UI_SOUND =
  /(^|[\/_\-.])(sounds?|sfx|ui|notification|notify|chime|beep|click|ding|ping|ring|alert|whoosh|pop|call|voice|intros?|jingles?|earcons?)([\/_\-.]|$)/i;

// Labels that are controls, not captions ("info/dl" beside a MediaWiki player).
export const CONTROL_TEXT =
  /^[\s(\[]*(info|dl|download|télécharger|herunterladen|descargar|play|listen|écouter|more|mehr|plus|share|subscribe|abonn|follow|embed|rss|itunes|print|email|pop-?up|transcript)\b/i;

// A date (and time) said in words: "Monday, May 27, 2013", "June 8, 2012 6:14 AM".
export const DATE_WORDS =
  /^((mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?\.?,?\s+)?((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\.?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-zé]*\.?\s+\d{4})(\s*(,|at|um|à)?\s*\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?(\s*[a-z]{2,4})?)?$/i;

export const DATE_OR_TIME =
  /^(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\w{3,9}\.? \d{1,2}, \d{4}|\d{1,2} \w{3,9}\.? \d{4}|\d+\s*(min|h|s)|\d{1,2}(:\d{2}){1,2})$/i;

export const NOT_AUDIO_KEY =
  /video|image|img|thumb|poster|cover|art|logo|icon|share|canonical|page|link/i;

export const PAGE_KEY =
  /^(canonical_?url|website_?url|permalink|article_?url|story_?url|page_?url|canonicalUrl|websiteUrl|articleUrl)$/i;
