//! `shop`, `buy`, `sell` (prices from `assets/tables/items.yaml`), the player `market`, and
//! two-sided `trade`s confirmed by both players with a button.

use crate::kernel::ids::ToCore;
use chronix_core::economy::Chrons;
use chronix_core::economy::{MAX_CHRONS, parse_amount};
use chronix_core::items::{MAX_QUANTITY, creature_sell_price, quote_buy, quote_sell};
use chronix_core::tables::{Rarity, ShopItem};
use chronix_storage::market;
use chronix_storage::shop as shop_store;
use chronix_storage::trade::{self, NewTrade, Offer, Trade};
use chronix_storage::weapons::{weapon_key, weapon_of_key};
use chronix_storage::{Refusal, StorageError};
use chrono::Duration;

use super::{
    button, chrons, now, refusal, settings, tables, update_message, with_item_definitions,
};
use crate::prelude::*;

/// Finds a shop item by id or name (`golden net`, `Golden_Net`, `golden_net`).
pub fn find_item(l: Locale, text: &str) -> Result<&'static ShopItem, UserError> {
    let norm = normalise;
    let want = norm(text);
    tables()
        .items()
        .iter()
        .find(|i| i.id == want || norm(&i.name) == want)
        .ok_or_else(|| {
            UserError::msg(tr!(
                l,
                "economy-no-such-item",
                item = embeds::truncate(text.trim(), 40).replace('`', "'")
            ))
        })
}

fn item_label(i: &ShopItem) -> String {
    format!("{} **{}** (`{}`)", i.emoji, i.name, i.id)
}

/// Anything owned in stacks: a shop item or a creature.
#[derive(Debug, Clone)]
pub struct Goods {
    /// The stack key (`item_definitions.id`).
    pub key: String,
    /// `emoji **Name** (`key`)`.
    pub label: String,
    /// The shop item, if it is one.
    pub shop: Option<&'static ShopItem>,
    /// The creature's tier, if it is a creature.
    pub creature: Option<Rarity>,
}

fn normalise(s: &str) -> String {
    chronix_core::economy::normalise_name(s)
}

/// Finds a shop item or a creature by id or name.
pub fn find_goods(l: Locale, text: &str) -> Result<Goods, UserError> {
    if let Ok(i) = find_item(l, text) {
        return Ok(Goods {
            key: i.id.clone(),
            label: item_label(i),
            shop: Some(i),
            creature: None,
        });
    }
    let want = normalise(text);
    tables()
        .creatures()
        .iter()
        .find(|c| c.id == want || normalise(&c.name) == want)
        .map(|c| Goods {
            key: c.id.clone(),
            label: format!("{} **{}** (`{}`)", c.emoji, c.name, c.id),
            shop: None,
            creature: Some(c.rarity),
        })
        .ok_or_else(|| {
            UserError::msg(tr!(
                l,
                "economy-no-such-goods",
                item = embeds::truncate(text.trim(), 40).replace('`', "'")
            ))
        })
}

/// The label of a stack key (falls back to the key); a weapon (`weapon:<id>`) is
/// `⚔️ weapon #12`.
pub fn goods_label(l: Locale, key: &str) -> String {
    if let Some(id) = weapon_of_key(key) {
        return tr!(l, "economy-weapon-goods", id = id.to_string());
    }
    find_goods(Locale::EN, key).map_or_else(|_| format!("`{key}`"), |g| g.label)
}

/// A weapon named in an item option or a trade: `#12`, `weapon 12`, `weapon #12`,
/// `weapon:12` (not a bare number, which is an amount or a quantity).
pub fn weapon_ref(text: &str) -> Option<i64> {
    let t = text.trim().to_lowercase();
    let rest = match t.strip_prefix("weapon") {
        Some(r) => r.trim_start_matches([' ', ':', '_']),
        None => t.strip_prefix('#')?,
    };
    rest.trim_start_matches('#')
        .parse()
        .ok()
        .filter(|id| *id > 0)
}

/// What an item option names: a stack (shop item or creature) or one of `owner`'s weapons (by
/// [`weapon_ref`], or a weapon type they own: `ember blade`).
pub enum Named {
    /// A stack.
    Goods(Goods),
    /// A weapon, by id (ownership is checked by storage).
    Weapon(i64),
}

/// Resolves an item option that may also be a weapon of `owner`.
pub async fn find_goods_or_weapon(
    data: &Data,
    l: Locale,
    owner: chronix_core::ids::UserId,
    text: &str,
) -> Result<Named, Error> {
    if let Some(id) = weapon_ref(text) {
        return Ok(Named::Weapon(id));
    }
    match find_goods(l, text) {
        Ok(g) => Ok(Named::Goods(g)),
        Err(e) => {
            let t = tables();
            let want = normalise(text);
            let is_type = t
                .weapons()
                .types
                .iter()
                .any(|w| w.id == want || normalise(&w.name) == want);
            if is_type {
                let w = crate::features::items::weapons::resolve(data, l, owner, text).await?;
                Ok(Named::Weapon(w.id))
            } else {
                Err(e.into())
            }
        }
    }
}

fn quantity(q: Option<u32>) -> u32 {
    q.unwrap_or(1)
}

/// What the shop sells and buys.
#[poise::command(prefix_command, slash_command, aliases("store"), custom_data = Tier::Everyone)]
pub async fn shop(ctx: Context<'_>) -> Result<(), Error> {
    let lines: Vec<String> = tables()
        .items()
        .iter()
        .map(|i| {
            let buy = i.buy.map_or_else(
                || tr!(ctx, "economy-shop-not-sold"),
                |v| chrons(Chrons::new(v)),
            );
            let sell = i.sell.map_or("—".to_string(), |v| chrons(Chrons::new(v)));
            tr!(
                ctx,
                "economy-shop-line",
                item = item_label(i),
                buy = buy,
                sell = sell,
                description = i.description.as_str()
            )
        })
        .collect();
    let e = Embed::gameplay(tr!(ctx, "economy-shop-title"))
        .description(lines.join("\n"))
        .footer(tr!(ctx, "economy-shop-footer"));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Buy an item from the shop.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn buy(
    ctx: Context<'_>,
    #[description = "Item id or name"]
    #[autocomplete = "super::complete::autocomplete_buy"]
    item: String,
    #[description = "How many (1 if empty)"] count: Option<u32>,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let def = find_item(l, &item)?;
    let mut q =
        quote_buy(tables(), &def.id, quantity(count)).map_err(|e| UserError::msg(e.to_string()))?;
    // A clan's shop-discount perk lowers the price.
    let discount = crate::features::clans::shop_discount_pct(ctx.data(), user).await?;
    q.total = chronix_core::clans::discounted(q.total, discount);
    let deal = with_item_definitions(ctx.data(), || {
        shop_store::buy(
            ctx.data().storage(),
            user,
            &def.id,
            i64::from(q.quantity),
            q.total.get(),
            guild,
            now,
        )
    })
    .await
    .map_err(|e| refusal(l, e))?;
    let e = Embed::success(tr!(l, "economy-buy-title"))
        .description(tr!(
            l,
            "economy-buy-text",
            quantity = q.quantity.to_string(),
            item = item_label(def),
            total = chrons(q.total)
        ))
        .field(tr!(l, "economy-you-own"), deal.owned.to_string(), true)
        .field(
            tr!(l, "economy-balance"),
            chrons(deal.applied.balance_after()),
            true,
        );
    let e = if discount > 0 {
        e.field(
            tr!(l, "clans-shop-discount-field"),
            tr!(l, "clans-shop-discount", pct = discount.to_string()),
            true,
        )
    } else {
        e
    };
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Sell an item to the shop.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn sell(
    ctx: Context<'_>,
    #[description = "Item id or name"]
    #[autocomplete = "super::complete::autocomplete_owned"]
    item: String,
    #[description = "How many (1 if empty)"] count: Option<u32>,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    let goods = find_goods(l, &item)?;
    let qty = quantity(count);
    let total = match (goods.shop, goods.creature) {
        (Some(def), _) => {
            quote_sell(tables(), &def.id, qty)
                .map_err(|e| UserError::msg(e.to_string()))?
                .total
        }
        (None, Some(rarity)) => {
            if qty == 0 || qty > MAX_QUANTITY {
                return Err(UserError::msg(tr!(
                    l,
                    "economy-quantity-range",
                    max = MAX_QUANTITY.to_string()
                ))
                .into());
            }
            creature_sell_price(tables(), rarity)
                .checked_mul(i64::from(qty))
                .filter(|t| *t > 0 && *t <= MAX_CHRONS)
                .ok_or_else(|| UserError::msg(tr!(l, "economy-cannot-sell")))?
        }
        (None, None) => return Err(UserError::msg(tr!(l, "economy-cannot-sell")).into()),
    };
    let deal = shop_store::sell(
        ctx.data().storage(),
        user,
        &goods.key,
        i64::from(qty),
        total.get(),
        guild,
        now,
    )
    .await
    .map_err(|e| refusal(l, e))?;
    let e = Embed::success(tr!(l, "economy-sell-title"))
        .description(tr!(
            l,
            "economy-sell-text",
            quantity = qty.to_string(),
            item = goods.label.as_str(),
            total = chrons(total)
        ))
        .field(tr!(l, "economy-you-own"), deal.owned.to_string(), true)
        .field(
            tr!(l, "economy-balance"),
            chrons(deal.applied.balance_after()),
            true,
        );
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn listing_line(lang: Locale, l: &market::Listing) -> String {
    if weapon_of_key(&l.item_key).is_some() {
        return tr!(
            lang,
            "economy-listing-line-weapon",
            id = l.id.to_string(),
            item = goods_label(lang, &l.item_key),
            price = chrons(l.price),
            seller = format!("<@{}>", l.seller_id)
        );
    }
    let name = goods_label(lang, &l.item_key);
    tr!(
        lang,
        "economy-listing-line",
        id = l.id.to_string(),
        quantity = l.quantity.to_string(),
        item = name,
        price = chrons(l.price),
        seller = format!("<@{}>", l.seller_id)
    )
}

/// The player marketplace: list items for sale, buy other players' listings.
#[poise::command(
    prefix_command,
    slash_command,
    aliases("mk", "mart"),
    subcommands("market_list", "market_sell", "market_buy", "market_cancel"),
    custom_data = Tier::Everyone
)]
pub async fn market(ctx: Context<'_>) -> Result<(), Error> {
    show_listings(ctx, None).await
}

async fn show_listings(ctx: Context<'_>, item: Option<String>) -> Result<(), Error> {
    super::rate_limit(ctx, super::Limited::Market).await?;
    let key = match item.as_deref() {
        Some(i) => match weapon_ref(i) {
            Some(id) => Some(weapon_key(id)),
            None => Some(find_goods(ctx.lang(), i)?.key),
        },
        None => None,
    };
    let rows = market::open_listings(ctx.data().storage(), key.as_deref(), None, 15).await?;
    let lines: Vec<String> = rows.iter().map(|r| listing_line(ctx.lang(), r)).collect();
    let e = Embed::gameplay(tr!(ctx, "economy-market-title")).description(if lines.is_empty() {
        tr!(ctx, "economy-market-empty")
    } else {
        lines.join("\n")
    });
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Open listings (of one item if you name it).
#[poise::command(
    prefix_command,
    slash_command,
    rename = "list",
    custom_data = Tier::Everyone
)]
pub async fn market_list(
    ctx: Context<'_>,
    #[description = "Only this item"]
    #[autocomplete = "super::complete::autocomplete_goods"]
    item: Option<String>,
) -> Result<(), Error> {
    show_listings(ctx, item).await
}

/// List items for sale: they leave your inventory until sold or cancelled.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "sell",
    custom_data = Tier::Everyone
)]
pub async fn market_sell(
    ctx: Context<'_>,
    #[description = "Item id or name, or a weapon (#12)"]
    #[autocomplete = "super::complete::autocomplete_listable"]
    item: String,
    #[description = "How many (1 for a weapon)"] count: u32,
    #[description = "Total price in Chrons"] price: String,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    super::rate_limit(ctx, super::Limited::Market).await?;
    let named = find_goods_or_weapon(ctx.data(), l, user, &item).await?;
    let price =
        parse_amount(&price, Chrons::new(0)).map_err(|e| UserError::InvalidInput(e.to_string()))?;
    if count == 0 {
        return Err(UserError::msg(tr!(l, "economy-list-at-least-one")).into());
    }
    // A weapon is one item: listed alone, with its socketed gems.
    let (key, count) = match &named {
        Named::Goods(g) => (g.key.clone(), i64::from(count)),
        Named::Weapon(id) => (weapon_key(*id), 1),
    };
    let listed = market::list(ctx.data().storage(), user, &key, count, price, now)
        .await
        .map_err(|e| refusal(l, e))?;
    let mut e = Embed::success(tr!(l, "economy-listed-title"))
        .description(listing_line(l, &listed))
        .footer(tr!(l, "economy-listed-footer", id = listed.id.to_string()));
    if let Named::Weapon(id) = named {
        e = weapon_field(ctx.data(), l, e, id).await?;
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Buy a listing by its number.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "buy",
    custom_data = Tier::Everyone
)]
pub async fn market_buy(
    ctx: Context<'_>,
    #[description = "Listing number"] listing: i64,
) -> Result<(), Error> {
    let Caller {
        user,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    super::rate_limit(ctx, super::Limited::Market).await?;
    let sold = with_item_definitions(ctx.data(), || {
        market::buy(ctx.data().storage(), user, listing, guild, now)
    })
    .await
    .map_err(|e| refusal(l, e))?;
    let mut e = Embed::success(tr!(l, "economy-bought-title"))
        .description(listing_line(l, &sold.listing))
        .field(
            tr!(l, "economy-balance"),
            chrons(sold.payment.from.balance_after),
            true,
        );
    if let Some(id) = weapon_of_key(&sold.listing.item_key) {
        e = weapon_field(ctx.data(), l, e, id).await?;
    }
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

/// Cancel your listing and get the items back.
#[poise::command(
    prefix_command,
    slash_command,
    rename = "cancel",
    custom_data = Tier::Everyone
)]
pub async fn market_cancel(
    ctx: Context<'_>,
    #[description = "Listing number"] listing: i64,
) -> Result<(), Error> {
    let Caller {
        user,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    super::rate_limit(ctx, super::Limited::Market).await?;
    let cancelled = with_item_definitions(ctx.data(), || {
        market::cancel(ctx.data().storage(), user, listing, now)
    })
    .await
    .map_err(|e| refusal(l, e))?;
    let e = Embed::info(tr!(l, "economy-listing-cancelled-title"))
        .description(listing_line(l, &cancelled));
    ctx.send(embeds::reply(e)).await?;
    Ok(())
}

fn offer_text_of(text: &str) -> Result<chronix_core::economy::OfferText, UserError> {
    chronix_core::economy::parse_offer(text).map_err(|e| match e {
        chronix_core::economy::OfferError::Amount(e) => UserError::InvalidInput(e.to_string()),
        other => UserError::msg(other.to_string()),
    })
}

/// The weapon an offer's item names: `#12`, `weapon #12`, `weapon 12` (parsed as the name
/// `weapon` and the quantity 12).
fn offered_weapon(i: &chronix_core::economy::ItemRequest) -> Option<i64> {
    if normalise(&i.name) == "weapon" {
        return Some(i.quantity);
    }
    weapon_ref(&i.name).filter(|_| i.quantity == 1)
}

/// Parses one side of a trade: `500`, `golden_net 2`, `500 + golden net 2`, `nothing`
/// (stacks only; see [`parse_side`] for weapons).
pub fn parse_offer(l: Locale, text: &str) -> Result<Offer, UserError> {
    let typed = offer_text_of(text)?;
    let item = match typed.item {
        Some(i) => Some((find_goods(l, &i.name)?.key, i.quantity)),
        None => None,
    };
    Ok(Offer {
        chrons: typed.chrons,
        item,
    })
}

/// Parses one side of a trade given by `owner`, weapons included: `#12`, `weapon 12`,
/// `500 + weapon #12`, or (the caller's own side) a weapon type they own (`ember blade`). A
/// weapon is offered with its socketed gems; storage checks it is the giver's and free to give.
pub async fn parse_side(
    data: &Data,
    l: Locale,
    owner: chronix_core::ids::UserId,
    mine: bool,
    text: &str,
) -> Result<Offer, Error> {
    let typed = offer_text_of(text)?;
    let item = match typed.item {
        Some(i) => match offered_weapon(&i) {
            Some(id) => Some((weapon_key(id), 1)),
            None if mine => match find_goods_or_weapon(data, l, owner, &i.name).await? {
                Named::Goods(g) => Some((g.key, i.quantity)),
                Named::Weapon(id) => Some((weapon_key(id), 1)),
            },
            None => Some((find_goods(l, &i.name)?.key, i.quantity)),
        },
        None => None,
    };
    Ok(Offer {
        chrons: typed.chrons,
        item,
    })
}

/// Adds a field with weapon `id`'s label and stats (the listing or trade it is in).
async fn weapon_field(data: &Data, l: Locale, e: Embed, id: i64) -> Result<Embed, Error> {
    use crate::features::items::weapons::{stats_line, weapon_label};
    let Some(w) = chronix_storage::weapons::get(data.storage(), id).await? else {
        return Ok(e);
    };
    let t = tables();
    let stats = chronix_core::weapons::stats(t, &w.state);
    Ok(e.field(
        tr!(l, "economy-weapon-field"),
        format!("{}\n{}", weapon_label(t, &w), stats_line(l, &stats)),
        false,
    ))
}

fn offer_text(l: Locale, o: &Offer) -> String {
    let mut parts = Vec::new();
    if o.chrons > 0 {
        parts.push(chrons(o.chrons));
    }
    if let Some((key, q)) = &o.item {
        let name = goods_label(l, key);
        if weapon_of_key(key).is_some() {
            parts.push(name);
        } else {
            parts.push(format!("{q} × {name}"));
        }
    }
    if parts.is_empty() {
        tr!(l, "economy-offer-nothing")
    } else {
        parts.join(" + ")
    }
}

fn trade_view(l: Locale, t: &Trade, note: Option<&str>) -> (Embed, Vec<serenity::CreateActionRow>) {
    let tick = |b: bool| if b { "✅" } else { "⏳" };
    let id = t.id.to_string();
    let (title, theme) = match t.status.as_str() {
        "done" => (tr!(l, "economy-trade-complete", id = id), Theme::Success),
        "cancelled" => (tr!(l, "economy-trade-cancelled", id = id), Theme::Info),
        _ => (tr!(l, "economy-trade-offer", id = id), Theme::Gameplay),
    };
    let mut desc = format!("<@{}> ⇄ <@{}>", t.initiator_id, t.partner_id);
    if let Some(n) = note {
        desc.push('\n');
        desc.push_str(n);
    }
    let mut e = Embed::new(theme, title)
        .description(desc)
        .field(
            tr!(l, "economy-trade-gives", tick = tick(t.initiator_confirmed)),
            format!(
                "<@{}>: {}",
                t.initiator_id,
                offer_text(l, &t.initiator_offer)
            ),
            false,
        )
        .field(
            tr!(l, "economy-trade-gives", tick = tick(t.partner_confirmed)),
            format!("<@{}>: {}", t.partner_id, offer_text(l, &t.partner_offer)),
            false,
        );
    if t.status == "open" {
        e = e.field(
            tr!(l, "economy-trade-expires"),
            format!("<t:{}:R>", t.expires_at.timestamp()),
            true,
        );
        let p = super::COMPONENT_PREFIX;
        let row = serenity::CreateActionRow::Buttons(vec![
            button(
                format!("{p}trade:ok:{}", t.id),
                &tr!(l, "economy-confirm"),
                serenity::ButtonStyle::Success,
            ),
            button(
                format!("{p}trade:no:{}", t.id),
                &tr!(l, "economy-cancel"),
                serenity::ButtonStyle::Danger,
            ),
        ]);
        (e, vec![row])
    } else {
        (e, vec![])
    }
}

/// Trade with another player: `trade @user 500 for golden_net 2`; both confirm.
///
/// Both sides press Confirm; the swap happens all at once or not at all.
#[poise::command(prefix_command, slash_command, custom_data = Tier::Everyone)]
pub async fn trade(
    ctx: Context<'_>,
    #[description = "Who you trade with"] user: serenity::User,
    #[description = "What you give `for` what you get, e.g. 500 for golden_net 2, or #12 for 5000"]
    #[autocomplete = "super::complete::autocomplete_offer"]
    #[rest]
    offer: String,
) -> Result<(), Error> {
    let Caller {
        user: me,
        guild,
        locale: l,
        now,
        ..
    } = Caller::of(ctx).await;
    if user.id == ctx.author().id {
        return Err(UserError::msg(tr!(l, "economy-trade-self")).into());
    }
    if user.bot {
        return Err(UserError::msg(tr!(l, "economy-trade-bot")).into());
    }
    super::rate_limit(ctx, super::Limited::Trade).await?;
    let (give, get) = chronix_core::economy::split_trade(&offer);
    let new = NewTrade {
        initiator_id: me,
        partner_id: user.id.core(),
        initiator_offer: parse_side(ctx.data(), l, me, true, give).await?,
        partner_offer: parse_side(ctx.data(), l, user.id.core(), false, get).await?,
        guild_id: guild,
        ttl: Duration::seconds(settings(ctx.data()).trade_ttl_secs),
    };
    if new.initiator_offer.is_empty() && new.partner_offer.is_empty() {
        return Err(UserError::msg(tr!(l, "economy-trade-empty")).into());
    }
    let t = trade::propose(ctx.data().storage(), &new, now)
        .await
        .map_err(|e| refusal(l, e))?;
    let (e, rows) = trade_view(l, &t, Some(&tr!(l, "economy-trade-both-confirm")));
    ctx.send(embeds::reply(e).components(rows)).await?;
    Ok(())
}

/// `trade:ok:<id>` / `trade:no:<id>`.
pub(super) async fn on_trade_button(
    ctx: &serenity::Context,
    interaction: &serenity::ComponentInteraction,
    data: &Data,
    args: &str,
) -> Result<(), Error> {
    let (action, id) = args.split_once(':').unwrap_or((args, "0"));
    let id: i64 = id.parse().unwrap_or(0);
    let user = interaction.user.id.core();
    let storage = data.storage();
    let l = crate::kernel::i18n::locale_of_interaction(data, interaction).await;
    let (t, note) = if action == "no" {
        let t = trade::cancel(storage, id, user, now())
            .await
            .map_err(|e| refusal(l, e))?;
        (
            t,
            tr!(l, "economy-trade-cancelled-by", user = format!("<@{user}>")),
        )
    } else {
        let c = with_item_definitions(data, || trade::confirm(storage, id, user, now()))
            .await
            .map_err(|e| match e {
                StorageError::Refused(Refusal::InsufficientFunds { .. }) => {
                    UserError::msg(tr!(l, "economy-trade-chrons-gone")).into()
                }
                StorageError::Refused(Refusal::NotEnoughItems { .. }) => {
                    UserError::msg(tr!(l, "economy-trade-items-gone")).into()
                }
                e => refusal(l, e),
            })?;
        let note = if c.executed {
            tr!(l, "economy-trade-swapped")
        } else {
            tr!(l, "economy-trade-waiting", user = format!("<@{user}>"))
        };
        (c.trade, note)
    };
    let (e, rows) = trade_view(l, &t, Some(&note));
    update_message(ctx, interaction, e, rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_parse() {
        assert_eq!(
            parse_offer(Locale::EN, "nothing").unwrap(),
            Offer::default()
        );
        assert_eq!(parse_offer(Locale::EN, "2.5k").unwrap().chrons, 2_500);
        let o = parse_offer(Locale::EN, "500 + golden net 2").unwrap();
        assert_eq!(
            (o.chrons, o.item),
            (Chrons::new(500), Some(("golden_net".to_string(), 2)))
        );
        let o = parse_offer(Locale::EN, "Pet Treat").unwrap();
        assert_eq!(o.item, Some(("pet_treat".to_string(), 1)));
        assert!(parse_offer(Locale::EN, "unicorn 3").is_err());
        assert!(find_item(Locale::EN, "Scholar's Scroll").is_ok());
        let c = &tables().creatures()[0];
        let g = find_goods(Locale::EN, &c.name).unwrap();
        assert_eq!(
            (g.key.as_str(), g.creature),
            (c.id.as_str(), Some(c.rarity))
        );
        assert_eq!(
            parse_offer(Locale::EN, &format!("{} 2", c.id))
                .unwrap()
                .item,
            Some((c.id.clone(), 2))
        );
    }
}
