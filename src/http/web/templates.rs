//! HTML templates of `frontend/templates`, compiled into the binary and rendered with
//! minijinja (auto-escaping on).

use anyhow::Context;
use minijinja::Environment;
use serde::Serialize;

use super::i18n::Catalog;

#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/frontend/templates"]
struct TemplateFiles;

pub struct Templates {
    env: Environment<'static>,
    pub catalog: Catalog,
}

impl Templates {
    pub fn load() -> anyhow::Result<Self> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        for name in TemplateFiles::iter() {
            let file =
                TemplateFiles::get(&name).with_context(|| format!("template {name} vanished"))?;
            let source = String::from_utf8(file.data.into_owned())
                .with_context(|| format!("template {name} is not UTF-8"))?;
            env.add_template_owned(name.to_string(), source)
                .with_context(|| format!("template {name} does not parse"))?;
        }
        Ok(Self {
            env,
            catalog: Catalog::load()?,
        })
    }

    pub fn render(&self, name: &str, ctx: impl Serialize) -> anyhow::Result<String> {
        self.env
            .get_template(name)
            .with_context(|| format!("no template {name}"))?
            .render(ctx)
            .with_context(|| format!("rendering {name} failed"))
    }
}
