//! A deliberately small Markdown subset for the rule pages: `##` headings, paragraphs, `-`
//! lists, fenced code blocks, inline code and bare links. Everything becomes Yew text nodes;
//! no HTML from the source is ever interpreted.

use yew::prelude::*;

enum Block<'a> {
    Heading(&'a str),
    Para(Vec<&'a str>),
    List(Vec<&'a str>),
    Code(Option<&'a str>, Vec<&'a str>),
}

fn blocks(src: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut lines = src.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_end();
        if t.trim().is_empty() {
            continue;
        }
        if let Some(fence) = t.trim_start().strip_prefix("```") {
            let lang = Some(fence.trim()).filter(|l| !l.is_empty());
            let mut body = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                body.push(l);
            }
            out.push(Block::Code(lang, body));
        } else if let Some(h) = t.strip_prefix('#') {
            out.push(Block::Heading(h.trim_start_matches('#').trim()));
        } else if is_item(t) {
            let mut items = vec![item_text(t)];
            while let Some(next) = lines.peek() {
                if is_item(next) {
                    items.push(item_text(next));
                } else if !next.trim().is_empty() && next.starts_with("  ") {
                    // Continuation of the previous item: keep it as its own line.
                    items.push(next.trim());
                } else {
                    break;
                }
                lines.next();
            }
            out.push(Block::List(items));
        } else {
            let mut para = vec![t.trim()];
            while let Some(next) = lines.peek() {
                let n = next.trim();
                if n.is_empty() || n.starts_with('#') || n.starts_with("```") || is_item(n) {
                    break;
                }
                para.push(n);
                lines.next();
            }
            out.push(Block::Para(para));
        }
    }
    out
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ")
}

fn item_text(line: &str) -> &str {
    line.trim_start()[2..].trim()
}

/// Inline code spans and bare https links; the rest is plain text.
pub fn inline(text: &str) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let tick = rest.find('`');
        let link = rest.find("https://").or_else(|| rest.find("http://"));
        match (tick, link) {
            (Some(t), l) if l.is_none_or(|l| t < l) => {
                parts.push(html! { {&rest[..t]} });
                let after = &rest[t + 1..];
                match after.find('`') {
                    Some(end) => {
                        parts.push(html! { <code>{&after[..end]}</code> });
                        rest = &after[end + 1..];
                    }
                    None => {
                        parts.push(html! { {&rest[t..]} });
                        rest = "";
                    }
                }
            }
            (_, Some(l)) => {
                parts.push(html! { {&rest[..l]} });
                let after = &rest[l..];
                let end = after
                    .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                    .unwrap_or(after.len());
                let url = after[..end].trim_end_matches(['.', ',']);
                if url.starts_with("https://") {
                    parts.push(html! {
                        <a href={url.to_string()} rel="noopener noreferrer external" target="_blank">{url}</a>
                    });
                } else {
                    parts.push(html! { {url} });
                }
                rest = &after[url.len()..];
            }
            _ => {
                parts.push(html! { {rest} });
                rest = "";
            }
        }
    }
    parts.into_iter().collect::<Html>()
}

/// Render `src` as a fragment of headings (shifted to `h3`), paragraphs, lists and code.
pub fn render(src: &str) -> Html {
    blocks(src)
        .into_iter()
        .map(|b| match b {
            Block::Heading(h) => html! { <h3>{inline(h)}</h3> },
            Block::Para(lines) => html! { <p>{inline(&lines.join(" "))}</p> },
            Block::List(items) => html! {
                <ul>{ for items.into_iter().map(|i| html! { <li>{inline(i)}</li> }) }</ul>
            },
            Block::Code(lang, body) => {
                let class = lang.map(|l| format!("lang-{l}"));
                html! { <pre class="code-sample"><code class={class}>{body.join("\n")}</code></pre> }
            }
        })
        .collect::<Html>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_blocks() {
        let b = blocks("## What\nline one\nline two\n\n- a\n- b `c`\n\n```xml\n<A/>\n```\n");
        assert!(matches!(b[0], Block::Heading("What")));
        assert!(matches!(&b[1], Block::Para(p) if p.len() == 2));
        assert!(matches!(&b[2], Block::List(i) if i.len() == 2));
        assert!(matches!(&b[3], Block::Code(Some("xml"), body) if body == &vec!["<A/>"]));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "```",
            "- ",
            "#",
            "`",
            "`a",
            "https://",
            "x https://a.b/c.",
            "*  ",
            "é`é",
        ] {
            let _ = blocks(s);
            let _ = inline(s);
        }
    }
}
