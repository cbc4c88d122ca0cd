//! One module per screen. Each screen is a view that owns its state and the data it shows
//! (selection, scroll, filter, the History list, the Compare state) behind one trait, `View`:
//! its title and keymap scope, `on_open` (what it reads through the service when it opens),
//! `update` (an action in, at most one `Command` out) and `render` (a pure function of the view,
//! the `ViewContext` and the open popup). No screen knows the `App`; where `Esc` goes is the app's
//! navigation stack, not the screen's. To add a screen: its module (the view, `impl View` by
//! `view!`), and here a variant of `Screen`, a field of `Views` with its arms in `new`, `opened`,
//! `get` and `get_mut`; its keys in `keymap.rs` (a `Scope`) and its key table in docs/guide.md
//! (ARCHITECTURE.md, "How to add a screen").

pub mod actions;
pub mod audit;
pub mod compare;
pub mod dashboard;
pub mod export;
pub mod history;
pub mod merge;
pub mod picker;
pub mod plan;
pub mod questionnaire;
pub mod registers;
pub mod soa;

use super::command::Command;
use super::keymap::{KeyAction, Scope};
use super::popups::Popup;
use super::view_context::{OpenAssessment, ViewContext};
use ratatui::prelude::*;

/// A screen of the app: what every view offers the app (see the module's note).
pub trait View {
    /// Its name in the header and the help.
    fn title(&self) -> &'static str;
    /// Its name in a header narrower than 120 columns.
    fn short_title(&self) -> &'static str {
        self.title()
    }
    /// The keys that apply on it (`keymap.rs`).
    fn scope(&self) -> Scope;
    /// Reads what it shows through the service as it opens; when it cannot, what the status
    /// line says instead (`Command::Info` or `Command::Error`) and the screen does not open.
    fn on_open(
        &mut self,
        _service: &crate::service::Context,
        _ctx: &ViewContext,
    ) -> Result<(), Box<Command>> {
        Ok(())
    }
    /// One action in, at most one command for the app out.
    fn update(&mut self, ctx: &ViewContext, action: KeyAction) -> Option<Command>;
    /// Draws it: a pure function of the view, the context and the open popup.
    fn render(&self, frame: &mut Frame, area: Rect, ctx: &ViewContext, popup: Option<&Popup>);
}

/// `impl View` for a view whose `update` and `render(frame, area, ctx)` are its own methods.
#[macro_export]
#[doc(hidden)]
macro_rules! tui_view {
    ($view:ty, $title:expr, $scope:expr $(, short = $short:expr)?) => {
        impl $crate::tui::screens::View for $view {
            fn title(&self) -> &'static str {
                $title
            }
            $(fn short_title(&self) -> &'static str {
                $short
            })?
            fn scope(&self) -> $crate::tui::keymap::Scope {
                $scope
            }
            fn update(
                &mut self,
                ctx: &$crate::tui::view_context::ViewContext,
                action: $crate::tui::keymap::KeyAction,
            ) -> Option<$crate::tui::command::Command> {
                <$view>::update(self, ctx, action)
            }
            fn render(
                &self,
                frame: &mut ratatui::Frame,
                area: ratatui::layout::Rect,
                ctx: &$crate::tui::view_context::ViewContext,
                _popup: Option<&$crate::tui::popups::Popup>,
            ) {
                <$view>::render(self, frame, area, ctx)
            }
        }
    };
}
pub use tui_view as view;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Questionnaire,
    Dashboard,
    Soa,
    Plan,
    Export,
    Actions,
    /// The four registers (context issues, interested parties, risks, objectives), one tab.
    Registers,
    /// Not a tab: opened with `H` from the questionnaire or the dashboard, left with `Esc`.
    History,
    /// Not a tab: opened with `C` from the dashboard, left with `Esc`.
    Compare,
    /// Not a tab: the conflicts of merges, opened with `M` from the dashboard or the
    /// questionnaire, left with `Esc`.
    Merge,
    /// Not a tab: audit mode, one audit walked item by item, opened with `a` on the Registers
    /// screen's Audits register, left with `Esc`.
    Audit,
}

impl Screen {
    /// The screens of an open assessment, in `Tab` order.
    pub const TABS: [Screen; 7] = [
        Screen::Questionnaire,
        Screen::Dashboard,
        Screen::Soa,
        Screen::Plan,
        Screen::Actions,
        Screen::Export,
        Screen::Registers,
    ];
}

/// The state of every screen. The app keeps one of each; opening another assessment starts the
/// screens of an assessment afresh (`opened`).
pub struct Views {
    pub picker: picker::PickerView,
    pub questionnaire: questionnaire::QuestionnaireView,
    pub dashboard: dashboard::DashboardView,
    pub soa: soa::SoaView,
    pub plan: plan::PlanView,
    pub export: export::ExportView,
    pub actions: actions::ActionsView,
    pub registers: registers::RegistersView,
    pub history: history::HistoryView,
    pub compare: compare::CompareView,
    pub merge: merge::MergeView,
    pub audit: audit::AuditView,
}

impl Views {
    pub fn new() -> Views {
        Views {
            picker: Default::default(),
            questionnaire: Default::default(),
            dashboard: Default::default(),
            soa: Default::default(),
            plan: Default::default(),
            export: Default::default(),
            actions: Default::default(),
            registers: Default::default(),
            history: Default::default(),
            compare: Default::default(),
            merge: Default::default(),
            audit: Default::default(),
        }
    }

    /// Fresh screens for a newly opened assessment, the questionnaire at item index `selected`.
    pub fn opened(&mut self, session: &OpenAssessment, selected: usize) {
        self.questionnaire =
            questionnaire::QuestionnaireView::new(&session.questionnaire, selected);
        self.dashboard = Default::default();
        self.soa = Default::default();
        self.plan = Default::default();
        self.export = Default::default();
        self.actions = Default::default();
        self.registers = Default::default();
        self.history = Default::default();
        self.compare = Default::default();
        self.merge = Default::default();
        self.audit = Default::default();
    }

    /// The view of `screen`.
    pub fn get(&self, screen: Screen) -> &dyn View {
        match screen {
            Screen::Picker => &self.picker,
            Screen::Questionnaire => &self.questionnaire,
            Screen::Dashboard => &self.dashboard,
            Screen::Soa => &self.soa,
            Screen::Plan => &self.plan,
            Screen::Export => &self.export,
            Screen::Actions => &self.actions,
            Screen::Registers => &self.registers,
            Screen::History => &self.history,
            Screen::Compare => &self.compare,
            Screen::Merge => &self.merge,
            Screen::Audit => &self.audit,
        }
    }

    pub fn get_mut(&mut self, screen: Screen) -> &mut dyn View {
        match screen {
            Screen::Picker => &mut self.picker,
            Screen::Questionnaire => &mut self.questionnaire,
            Screen::Dashboard => &mut self.dashboard,
            Screen::Soa => &mut self.soa,
            Screen::Plan => &mut self.plan,
            Screen::Export => &mut self.export,
            Screen::Actions => &mut self.actions,
            Screen::Registers => &mut self.registers,
            Screen::History => &mut self.history,
            Screen::Compare => &mut self.compare,
            Screen::Merge => &mut self.merge,
            Screen::Audit => &mut self.audit,
        }
    }

    pub fn update(
        &mut self,
        screen: Screen,
        ctx: &ViewContext,
        action: KeyAction,
    ) -> Option<Command> {
        self.get_mut(screen).update(ctx, action)
    }

    /// Goes to the row `target` names (a number or a ref) on `screen`; what the status line says
    /// comes back. Screens without a list of their own go to the item in the questionnaire.
    pub fn go_to(&mut self, screen: Screen, ctx: &ViewContext, target: &str) -> Option<Command> {
        let target = target.trim();
        if target.is_empty() {
            return None;
        }
        let not_found = |what: &str| Some(Command::Error(format!("Go to \"{target}\": {what}")));
        if screen == Screen::Picker {
            let found = target
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .filter(|&i| i < ctx.assessments.len())
                .or_else(|| {
                    ctx.assessments
                        .iter()
                        .position(|row| row.assessment.name.eq_ignore_ascii_case(target))
                });
            return match found {
                Some(index) => {
                    self.picker.selected = index;
                    None
                }
                None => not_found("no such row or name in the list"),
            };
        }
        let session = ctx.session?;
        match screen {
            Screen::Plan => {
                let count = session.plan.steps.len();
                match target.trim_start_matches('#').parse::<usize>() {
                    Ok(n) if (1..=count).contains(&n) => {
                        self.plan.selected = n - 1;
                        Some(Command::Info(format!("Step {n}.")))
                    }
                    _ => not_found(&format!("the plan has steps 1 to {count}")),
                }
            }
            Screen::Actions => {
                let number = target.trim_start_matches('#').parse::<u32>().ok();
                match number.filter(|n| session.actions.iter().any(|a| a.number == *n)) {
                    Some(number) => Some(Command::Info(
                        self.actions.go_to(session, ctx.today, number),
                    )),
                    None => not_found("no action has that number"),
                }
            }
            Screen::Registers => match self.registers.go_to(session, ctx.today, target) {
                Some(message) => Some(Command::Info(message)),
                None => not_found("no entry with that id in this register"),
            },
            Screen::Soa => match item_to_go_to(&session.questionnaire, target) {
                Some(item) if item.is_control() => {
                    Some(Command::Info(self.soa.go_to(session, item.number)))
                }
                Some(item) => not_found(&format!(
                    "{} is a clause requirement, not on the SoA",
                    item.reference
                )),
                None => not_found("no control has that ref or number"),
            },
            _ => match item_to_go_to(&session.questionnaire, target) {
                Some(item) => {
                    let number = item.number;
                    let message = format!("Item {number} ({}).", item.reference);
                    self.questionnaire.show(session, number);
                    if screen == Screen::Questionnaire {
                        Some(Command::Info(message))
                    } else {
                        Some(Command::ShowItem(number))
                    }
                }
                None => not_found("no item has that number or ref"),
            },
        }
    }

    /// A search typed in the search bar, for the screens that search.
    pub fn search(&mut self, screen: Screen, ctx: &ViewContext, query: String) -> Option<Command> {
        let session = ctx.session?;
        match screen {
            Screen::Soa => self.soa.search(session, Some(query), true, true),
            Screen::Registers => self.registers.search(session, query),
            _ => self.questionnaire.search(session, Some(query), true, true),
        }
    }

    pub fn render(
        &self,
        screen: Screen,
        frame: &mut Frame,
        area: Rect,
        ctx: &ViewContext,
        popup: Option<&Popup>,
    ) {
        self.get(screen).render(frame, area, ctx, popup)
    }
}

/// The item whose number or ref is exactly `query` (case and spaces ignored: `a.5.10`,
/// `5.3b)`, `#28`), if any.
pub fn exact_item<'a>(
    questionnaire: &'a crate::model::Questionnaire,
    query: &str,
) -> Option<&'a crate::model::Item> {
    let squeeze = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squeeze(query);
    let wanted = wanted.trim_start_matches('#');
    if wanted.is_empty() {
        return None;
    }
    if let Ok(number) = wanted.parse::<u32>() {
        return questionnaire.item(number);
    }
    questionnaire
        .items
        .iter()
        .find(|item| squeeze(&item.reference) == wanted)
}

/// For the go-to key: the item `exact_item` finds, else the first of a sub-clause (`4.3` goes
/// to `4.3 a)`).
pub fn item_to_go_to<'a>(
    questionnaire: &'a crate::model::Questionnaire,
    target: &str,
) -> Option<&'a crate::model::Item> {
    exact_item(questionnaire, target).or_else(|| {
        let wanted: String = target
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        questionnaire.items.iter().find(|item| {
            let reference: String = item
                .reference
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            reference.strip_prefix(wanted.as_str()).is_some_and(|rest| {
                !wanted.is_empty() && rest.starts_with(|c: char| !c.is_ascii_digit() && c != '.')
            })
        })
    })
}

impl Default for Views {
    fn default() -> Views {
        Views::new()
    }
}
