"""More word lists of the delete line: the families a second look found missing.

Written for this project on 2026-12-01 (by two reviewers working from PRODUCT.md's line and
the lists in ``line_lexicons.py``, without the crisis-post sets in view), then checked
against their own harmless brand posts (``tests/unit/triage/test_line_traps.py``) and real
tweets (flag rates on non-offensive OLID and GermEval tweets moved by <= 0.01 points).
Same syntax as ``line_lexicons.py``; ``line_lexicons.py`` appends these to its lists.

Left out on purpose, because ordinary brand posts use them: lone "dtf" (direct-to-film
printing), "hookup", "groomers" (pet grooming), "ovens", "roasties", "between your legs"
(Pilates), "on all fours" (yoga), "kinky" (hair), "nipple" (baby bottles), "strap-on",
"hand job" and "abspritzen" (car washes), "Domina" (a grape), "steif" (Eischnee), "jedem
das Seine", "Rothschild" alone; "ribcage … split" (barbecue), "someone ought … put down".
"""

from __future__ import annotations

SEXUAL = """
wanna_hook_up 0.5 hook_up_tonight 0.65 looking_to_hook_up 0.6 looking_for_a_hookup 0.75
dtf_tonight 0.85 are_you_dtf 0.9 u_dtf 0.85 you_dtf 0.85 who's_dtf 0.9 anyone_dtf 0.85
netflix_and_chill 0.3 booty_call 0.8 booty_calls 0.8 fuck_buddy 0.9 fuckbuddy 0.9
fwb 0.6 casual_sex 0.5 sugar_daddy 0.5 looking_for_a_sugar_daddy 0.8 sexual_favours 0.7
sexual_favors 0.7 wanna_fuck 0.95 want_to_fuck 0.9 let's_fuck 0.95 wanna_bang 0.7
bang_me 0.8 banged_her 0.85 bang_her 0.75 wanna_shag 0.85 shag_me 0.85 shagging 0.7
sext 0.7 sexts 0.7 sexted 0.75 dick_pic 0.95 dick_pics 0.95 dickpic* 0.95
nude_selfie 0.9 naked_selfie 0.85 nude_photos 0.9 nude_pictures 0.9 naked_pictures 0.85
naked_photos 0.85 noods 0.8 send_noods 0.95 show_me_your_boobs 0.9 show_me_your_tits 0.9
show_me_your_pussy 0.95 show_me_your_dick 0.95 naked_in_bed 0.7 blow_job 0.95
rim_job 0.9 foot_job 0.9 footjob* 0.9 titjob* 0.95 titfuck* 0.95 tittyfuck* 0.95
doggy_style 0.85 doggystyle 0.9 reverse_cowgirl 0.9 bukkake 0.95 gloryhole* 0.9
femdom 0.85 jerked_off 0.9 jerks_off 0.9 wank 0.7 wanking 0.85 wanked 0.85 fap 0.75
fapping 0.85 bust_a_nut 0.85 jizz 0.85 jizzed 0.9 spunk 0.45 cum_for_me 0.95
cum_inside 0.95 make_me_cum 0.95 made_me_cum 0.95 moan_for_me 0.85 make_you_moan 0.6
scream_my_name 0.55 dry_humping 0.8 humping 0.55 choke_me 0.65 spank_me 0.7
eat_me_out 0.95 eat_her_out 0.95 eating_her_out 0.95 finger_me 0.8 fingering_her 0.85
fingered_her 0.85 lick_you 0.55 balls_deep 0.6 bend_over_for 0.75 bend_me_over 0.85
bend_you_over 0.85 spread_her_legs 0.9 spread_my_legs 0.7 spread_your_cheeks 0.75
get_into_your_pants 0.8 get_in_your_pants 0.75 into_her_pants 0.8 so_wet_for 0.9
wet_for_you 0.85 wet_for_me 0.85 you_make_me_wet 0.9 you_make_me_hard 0.9
make_me_wet 0.7 makes_me_wet 0.6 wet_panties 0.85 no_panties 0.7 without_panties 0.7
sex_on_the_counter 0.85 sex_on_the_table 0.7 titty 0.8 coochie 0.6 punani 0.8
poontang 0.8 schlong 0.7 ballsack 0.6 nutsack 0.6 dilf 0.55 gilf 0.7 lewds 0.8
sex_toy 0.7 sex_toys 0.7 sextoy* 0.7 buttplug* 0.9 cock_ring 0.9 cockring* 0.9
fleshlight* 0.9 upskirt* 0.9 nip_slip 0.8 nipslip* 0.85 cameltoe 0.6 fansly 0.6
camsex 0.9 sexcam* 0.85 sexchat* 0.8 lapdance 0.55 striptease 0.55 erotic_massage 0.8
happy_ending_massage 0.85 flotter_dreier 0.85 sex_auf_der_theke 0.85
sex_auf_dem_tisch 0.8 vor_mir_auf_den_knien 0.75 vor_mir_knien 0.7 steifen_schwanz 0.95
steifer_schwanz 0.95 harten_schwanz 0.95 harter_schwanz 0.95 steifes_glied 0.9
einen_steifen_bekommen 0.85 macht_mich_feucht 0.85 machst_mich_feucht 0.9
mich_so_feucht 0.85 bin_so_feucht 0.85 werd_feucht 0.8 feuchtes_höschen 0.9
nasses_höschen 0.85 feucht_im_schritt 0.85 feuchte_muschi 0.95 nasse_muschi 0.95
machst_mich_geil 0.75 macht_mich_geil 0.5 machst_mich_hart 0.85
mich_überall_anfassen 0.85 dich_überall_anfassen 0.85 befummeln 0.5
einen_runterholen 0.85 einen_runtergeholt 0.85 sich_einen_runter 0.85
mir_einen_runter 0.85 masturbier* 0.85 schwanz_lutschen 0.95 schwanzlutscher 0.8
lutscht_meinen 0.95 eier_lecken 0.8 leck_meine_eier 0.85 abwichsen 0.9 wichsvorlage 0.95
vögelt 0.8 durchgevögelt 0.9 durchficken 0.9 durchgefickt 0.9 dich_durchnehmen 0.75
lust_auf_sex 0.7 bock_auf_sex 0.75 willst_du_mit_mir_schlafen 0.75 mit_dir_schlafen 0.55
notgeil 0.75 rattig 0.7 spitz_wie_nachbars_lumpi 0.8 nacktselfie* 0.9 nacktvideo* 0.9
nacktaufnahme* 0.85 schwanzbild* 0.95 pimmelbild* 0.95 tittenbild* 0.9 sexspielzeug* 0.7
liebeskugeln 0.7 fesselspiel* 0.6 sadomaso 0.55 gruppensex 0.9 oralsex 0.85 analsex 0.85
telefonsex 0.75 morgensex 0.7 sexstellung* 0.7 doggystellung 0.85 kitzler 0.75
schamlippen 0.55 lustgrotte 0.85 ohne_höschen 0.75 erotikmassage 0.8
"""

HATE = """
we_must_secure_the_existence 0.99 a_future_for_white_children 0.95 white_lives_only 0.9
14words 0.9 wpww 0.99 rwds 0.85 gtkrwn 0.99 combat_18 0.9 blood_and_soil 0.95
blood_and_honour 0.85 blood_and_honor 0.85 hail_victory 0.8 hail_hitler 0.99
heilhitler 0.99 siegheil 0.99 hitler_was_right 0.99 hitler_did_nothing_wrong 0.99
hitler_was_a_hero 0.95 hitler_should_have_finished 0.99 jews_will_not_replace_us 0.99
you_will_not_replace_us 0.95 replacement_migration 0.5 white_sharia 0.95 ethnostate 0.75
white_ethnostate 0.95 antiracist_is_a_code_word 0.99 code_word_for_antiwhite 0.99
deus_vult 0.5 goyim_know 0.99 goyim 0.45 shekels 0.25 happy_merchant 0.95
globalist_cabal 0.8 globalist_jews 0.95 globalist_elite 0.4 globalists 0.3
international_jewry 0.9 jewish_supremacy 0.85 jewish_lobby 0.55 zionist_lobby 0.5
jew_controlled 0.9 jewcontrolled 0.9 jewishcontrolled 0.85 jewish_controlled 0.85
jewed 0.95 jew_him_down 0.9 jew_down 0.85 oven_dodger 0.99 oven_dodgers 0.99
ovendodger* 0.99 jews_did_911 0.99 jews_did_this 0.55 synagogue_of_satan 0.95
christ_killers 0.6 jew_york 0.9 jewyork 0.9 hymietown 0.95 kosher_tax 0.75
early_life_section 0.55 rootless_cosmopolitans 0.85 rootless_cosmopolitan 0.8
khazarian_mafia 0.95 khazarian 0.6 khazar_milkers 0.95 rothschilds_control 0.9
rothschild_bankers 0.5 zionazi* 0.9 zios 0.7 six_gorillion 0.99 gorillion 0.9
muh_holocaust 0.99 holocaustianity 0.99 holocough 0.99 shoah_business 0.95
holocaust_industry 0.5 holocaust_didn't_happen 0.99 holocaust_is_a_myth 0.99
holocaust_myth 0.85 holocaust_hoax 0.99 holocaust_lie 0.5
there_were_no_gas_chambers 0.99 no_gas_chambers 0.55 gas_chambers_were_fake 0.99
should_go_back_to_africa 0.85 send_them_back_to_africa 0.95 despite_being_13 0.9
despite_making_up_13 0.9 dindu 0.95 dindu_nuffin 0.99 we_wuz 0.9 sheboon* 0.99
groid* 0.9 pavement_ape 0.99 pavement_apes 0.99 jigaboo* 0.99 chimpout* 0.95
chimp_out 0.85 chimping_out 0.7 race_mixing 0.55 racemixing 0.8 mud_shark 0.95
mudshark* 0.95 mudslime* 0.99 muzzie* 0.9 muzrat* 0.99 islam_is_cancer 0.95
islam_is_a_cancer 0.95 ban_islam 0.5 deport_all_muslims 0.95 ban_all_muslims 0.9
no_muslims 0.6 no_mexicans 0.7 no_gays 0.6 no_gypsies 0.75 no_travellers 0.6
anchor_babies 0.7 anchor_baby 0.65 illegals 0.35 dirty_muslims 0.95 dirty_immigrants 0.9
dirty_arabs 0.95 dirty_gypsies 0.95 dirty_mexicans 0.95 filthy_jews 0.99
filthy_muslims 0.95 filthy_immigrants 0.9 fucking_jews 0.95 fucking_muslims 0.95
fucking_immigrants 0.9 fucking_gays 0.9 fucking_blacks 0.95 troons 0.9 troony 0.9
join_the_41 0.99 trans_women_are_men 0.6 only_two_genders 0.45 ok_groomer 0.7
trans_groomers 0.9 gay_groomers 0.8 lgbt_groomers 0.9 lgbtq_groomers 0.9
groomer_agenda 0.85 god_hates_fags 0.99 god_hates_gays 0.95 gay_plague 0.7
pray_the_gay_away 0.5 homos 0.5 feminazi* 0.55 femoid* 0.95 foid 0.9 foids 0.9
repeal_the_19th 0.8 women_shouldn't_vote 0.9 useless_eaters 0.55 schuldkult 0.6
der_große_austausch 0.5 den_großen_austausch 0.5 vom_großen_austausch 0.5
volksverräter* 0.8 umvolk* 0.9 überfremd* 0.7 volksfremd* 0.6 fremdvölkisch* 0.6
passdeutsche* 0.8 türken_raus 0.9 muslime_raus 0.9 moslems_raus 0.9 asylanten_raus 0.95
zigeuner_raus 0.99 migranten_raus 0.85 araber_raus 0.9 afrikaner_raus 0.9 polen_raus 0.7
neger_raus 0.99 schwarze_raus 0.75 nafris_raus 0.95 islam_raus 0.75 ausländerraus 0.95
judenraus 0.99 kanakenraus 0.99 raus_mit_den_ausländern 0.9 ausländer_verpisst_euch 0.95
alle_ausländer_abschieben 0.85 alle_abschieben 0.55 deutschland_nur_den_deutschen 0.95
deutschland_bleibt_deutsch 0.7 europa_den_europäern 0.6 europa_bleibt_weiß 0.9
germany_for_the_germans 0.75 germany_for_germans 0.75 brd_gmbh 0.5 firma_brd 0.5
reich_besteht_fort 0.55 ein_volk_ein_reich 0.95 ein_reich_ein_führer 0.99
führer_befiehl 0.95 unsere_ehre_heißt_treue 0.95 arbeit_macht_frei 0.9
national_befreite_zone 0.9 frei_sozial_national 0.95 frei_sozial_und_national 0.95
nationaler_widerstand 0.5 nationale_sozialisten 0.8 endsieg 0.45 volkskörper 0.45
zionistenlobby 0.7 zionisten_lobby 0.7 zionistische_lobby 0.6
zionistische_weltverschwörung 0.95 zionistenpack 0.95 zionistisch_besetzte 0.95
zionistenschwein* 0.99 rothschilds_kontrollieren 0.9 rothschildclan 0.7
rothschild_clan 0.7 ostküstenfinanz* 0.8 ostküstenkapital 0.8
internationale_hochfinanz 0.5 raffendes_kapital 0.55 zinsknechtschaft 0.55
finanzjudentum 0.95 finanzjuden 0.95 judenrepublik 0.95 jüdische_lobby 0.55
jüdisch_kontrolliert 0.9 jüdisch_kontrollierte 0.9 jüdisch_kontrollierten 0.9
juden_kontrollieren 0.95 die_juden_sind_schuld 0.95 judenschwein* 0.99 saujude* 0.99
drecksjude* 0.99 holocaust_hat_nie_stattgefunden 0.99 holocaust_gab_es_nicht 0.99
es_gab_keine_gaskammern 0.99 gaskammern_gab_es_nicht 0.99 holocaust_ist_eine_lüge 0.99
holocaustlüge 0.5 auschwitzlüge 0.45 holocaustschwindel 0.85 bombenholocaust 0.85
denkmal_der_schande 0.6 asylantenflut 0.8 asylantenpack 0.99 asylschmarotzer 0.95
asyltouristen 0.7 scheinasylanten 0.7 flüchtlingsflut 0.5 ausländerflut 0.7
messermänner 0.8 alimentierte_messermänner 0.95 kopftuchgeschwader 0.85
kopftuchschlampe* 0.99 burkaweiber 0.85 musel 0.5 museln 0.8 muselpack 0.99 ölauge* 0.9
dönerfresser 0.75 kümmelpack 0.95 drecksausländer 0.95 dreckstürke* 0.95
drecksmoslem* 0.95 drecksmuslim* 0.95 dreckszigeuner 0.99 stoppt_die_islamisierung 0.75
scheiß_türken 0.95 scheiß_moslems 0.95 scheiß_muslime 0.95 scheiß_zigeuner 0.99
scheiß_flüchtlinge 0.95 scheiß_asylanten 0.95 scheiß_araber 0.95 scheiß_migranten 0.95
scheiß_neger 0.99 scheiß_polacken 0.95 scheiß_schwule 0.9 scheiß_lesben 0.9
scheiß_transen 0.95 homolobby 0.7 homopropaganda 0.65 transenpack 0.95 transe 0.6
transen 0.6 kampflesbe* 0.6 schwulenseuche 0.95 schwulenpack 0.99 lesbenpack 0.95
weiber_gehören 0.7 transfrauen_sind_männer 0.6 es_gibt_nur_zwei_geschlechter 0.45
lebensunwert* 0.45 behindi 0.6 behindis 0.6
"""

# Words for the hate rules' two kinds (a group; a sweeping claim about it).
HATE_GROUPS = """
immigrant refugee migrant muslim moslem islam jew jewish israeli zionist whites
black_people white_people gay_people gay_men lesbian homosexual transgender trans_women
trans_men lgbt lgbtq lgbtqia queer queers disabled_people the_disabled autistic_people
cripples asylum_seekers illegal_aliens foreigners latinos hispanics indians pakistanis
somalis nigerians palestinians romani sinti negroes christians hindus sikhs turks
syrians afghans albanians romanians bulgarians females jude jüdin jüdinnen türke türkin
syrer afghanen tschetschenen albaner rumänen bulgaren neger schwarzafrikaner nafris
kanake asylant asylbewerber geflüchtete flüchtling schwul lesben lesbe homosexuell
homosexualität transmenschen transfrauen transpersonen behinderte weiber emanzen
"""

HATE_CLAIMS = """
are_rapists are_all_rapists are_terrorists are_all_terrorists are_all_criminal
are_all_thieves are_savages are_apes are_monkeys are_primitive are_subhuman
are_not_human aren't_human are_lazy are_worthless are_useless are_unnatural is_unnatural
are_a_burden burden_on_society are_degenerate are_an_abomination is_a_sin are_a_cancer
are_mentally_ill is_a_mental_illness is_a_mental_disorder are_pedophile are_paedophile
are_all_pedophile are_groomer are_all_groomer groomer are_not_real_women
aren't_real_women are_too_emotional are_invading invading_our invasion_of_our
is_an_invasion are_an_invasion invaders overrun swarm swarms swarming hordes horde
infest flooding_our take_our_jobs taking_our_jobs steal_our_jobs stealing_our_jobs
replacing_us control_the_media controls_the_media control_the_banks controls_the_banks
control_the_government controls_the_government control_the_world controls_the_world
own_the_media own_the_banks ruining_our_country destroying_our_country
destroying_the_west destroying_our_culture get_out_of_our back_to_africa
should_all_go_back send_them_all_back all_be_deported deport_all deport_every ban_all
shouldn't_have_rights should_not_have_rights don't_deserve_rights can't_be_trusted
should_be_gassed should_be_exterminat should_be_sterili should_be_euthani
sind_vergewaltiger sind_alle_vergewaltiger sind_terroristen sind_alle_terroristen
sind_alle_kriminell sind_alle_diebe sind_affen sind_wilde sind_barbaren sind_primitiv
sind_keine_menschen sind_faul sind_wertlos sind_nichts_wert sind_eine_last
sind_unnatürlich ist_unnatürlich ist_eine_sünde ist_eine_krankheit sind_psychisch_krank
sind_geisteskrank sind_krank_im_kopf sind_pädophil sind_kinderschänder
sind_keine_echten_frauen keine_echten_frauen sind_zu_emotional können_nicht_autofahren
können_nicht_einparken gehören_in_die_küche sollten_nicht_wählen invasoren überrann
überflutet_von überfluten_uns horden sind_eine_seuche wie_eine_seuche schmarotz
sind_ein_krebsgeschwür sind_ein_krebs nehmen_uns_die_arbeit nehmen_uns_die_jobs
nehmen_uns_alles ersetzen_uns wollen_uns_ersetzen zerstören_unser_land
zerstören_deutschland zerstören_unsere_kultur kontrollieren_die_medien
kontrolliert_die_medien kontrolliert_die_banken kontrolliert_die_welt
beherrscht_die_welt kontrollieren_die_banken kontrollieren_die_welt beherrschen_die_welt
raus_aus_unserem raus_aus_deutschland raus_aus_europa zurück_nach_afrika sollen_abhauen
schickt_sie_zurück schick_sie_zurück alle_abschieben sofort_abschieben alle_ausweisen
rausschmeiß ausschaffen verdienen_keine_rechte sollten_keine_rechte
kann_man_nicht_trauen nie_trauen gehören_ausgerottet sollte_man_ausrotten
muss_man_ausrotten sollte_man_sterilisieren sollte_man_einschläfer
"""

THREAT = """
you'll_regret_this 0.45 you_will_regret_this 0.45 you're_going_to_regret_this 0.45
you'll_regret_the_day 0.75 i'll_make_you_regret 0.75 you'll_pay_for_this 0.7
you'll_pay_for_that 0.7 make_you_pay_for_this 0.7 pay_for_what_you_did 0.6
pay_for_what_you've_done 0.6 you'll_get_what's_coming 0.55 get_what's_coming_to_you 0.7
watch_yourself 0.45 better_watch_yourself 0.75 better_watch_your_back 0.9
you're_a_dead_man 0.9 you're_a_dead_woman 0.9 you're_dead_meat 0.8
you're_as_good_as_dead 0.85 hunt_you_down 0.7 i'll_find_you_and 0.55
i'll_come_for_you 0.6 come_after_your_family 0.85 go_after_your_family 0.8
your_family_will_suffer 0.85 i_will_hurt_your 0.85 i'll_hurt_you 0.85
i_will_hurt_you 0.85 gonna_hurt_you 0.6 hurt_you_badly 0.8 i_know_where_your_kids 0.85
know_where_your_kids_go_to_school 0.9 know_where_your_children_go 0.85
know_where_your_family_lives 0.9 know_where_your_mother_lives 0.9
know_where_your_parents_live 0.9 know_what_car_you_drive 0.75 i_know_where_you_work 0.7
i_know_where_you_park 0.8 pay_your_family_a_visit 0.8 pay_your_kids_a_visit 0.85
make_it_look_like_an_accident 0.85 snitches_get_stitches 0.75 beat_you_up 0.7
beat_you_senseless 0.9 beat_you_to_death 0.95 beat_them_to_death 0.9
beat_you_black_and_blue 0.9 beat_him_senseless 0.8 beat_them_senseless 0.85
beat_the_life_out 0.85 beat_the_crap_out 0.5 kick_the_shit_out 0.75 stomp_you 0.7
curb_stomp 0.8 curb_stomped 0.8 curbstomp* 0.8 break_every_bone 0.9 snap_your_neck 0.9
snap_his_neck 0.85 strangle_you 0.55 bury_you_alive 0.9 you_six_feet_under 0.85
put_you_in_hospital 0.9 put_you_in_the_hospital 0.9 put_you_in_a_wheelchair 0.9
put_you_in_a_coma 0.9 leave_in_a_body_bag 0.9 in_a_body_bag 0.6
never_find_your_body 0.95 never_find_the_body 0.85 never_find_the_bodies 0.9
i'll_end_you 0.8 i_will_end_you 0.8 kill_u 0.7 kill_y'all 0.7 imma_kill 0.6 ima_kill 0.6
finna_kill 0.6 i'll_murder_you 0.75 murder_your_family 0.95 shoot_up_the_school 0.95
shoot_up_my_school 0.95 shoot_up_this_place 0.85 cap_in_your_ass 0.85
bullet_between_your_eyes 0.95 bullet_between_the_eyes 0.85 bullet_through_your 0.9
blow_your_brains_out 0.95 blow_his_brains_out 0.85 plant_a_bomb 0.85 knife_in_you 0.85
knife_to_your_throat 0.9 cut_your_throat 0.9 gut_you_like 0.95 cut_you_into_pieces 0.9
cut_you_to_pieces 0.85 slash_your_tires 0.75 slash_your_tyres 0.75
brick_through_your 0.85 rock_through_your_window 0.8 throw_acid 0.6 rape_you 0.95
rape_your 0.9 hang_you 0.6 hang_them_all 0.9 go_hang_yourself 0.9 hang_yourself 0.75
neck_yourself 0.85 unalive_yourself 0.85 go_drink_bleach 0.8 burn_your_car 0.9
burn_your_shop 0.9 burn_your_store 0.9 burn_your_restaurant 0.9 burn_down_your_house 0.9
burn_down_your_shop 0.9 burn_down_your_store 0.9 torch_your_house 0.9 torch_your_car 0.9
set_your_house_on_fire 0.9 set_your_car_on_fire 0.9 set_fire_to_your_house 0.9
set_fire_to_your_car 0.9 petrol_through_your 0.9 gasoline_through_your 0.9
petrol_bomb 0.6 firebomb* 0.6 hope_you_choke 0.8 hope_you_rot 0.85 rot_in_hell 0.75
burn_in_hell 0.6 hope_you_suffer 0.85 hope_he_suffers 0.85 hope_she_suffers 0.85
hope_they_suffer 0.85 hope_your_plane_crashes 0.9 hope_your_house_burns 0.9
hope_your_car_crashes 0.9 hope_your_brakes_fail 0.9 hope_you_crash_and 0.8
hope_you_have_an_accident 0.85 hope_he_never_wakes_up 0.85 hope_you_drop_dead 0.9
hope_you_all_die 0.95 hope_u_die 0.9 hope_you_get_aids 0.8 wish_you_were_dead 0.9
wish_you_dead 0.85 wish_he_was_dead 0.8 wish_they_were_dead 0.85 wish_you_would_die 0.9
wish_you'd_die 0.9 you_should_die 0.8 you_should_be_dead 0.8 should_all_die 0.8
you_need_to_die 0.85 he_needs_to_die 0.8 deserve_a_beating 0.75 deserves_a_beating 0.75
should_be_lynched 0.95 should_be_stabbed 0.95 should_be_burned_alive 0.95
ought_to_be_hanged 0.8 pass_bloß_auf 0.45
pass_lieber_auf_dass_dir 0.75 pass_auf_was_du_sagst 0.5 sieh_dich_bloß_vor 0.65
nimm_dich_bloß_in_acht 0.65 du_wirst_sehen_was_passiert 0.65
wirst_sehen_was_dann_passiert 0.7 sonst_knallt's 0.55 sonst_knallt_es 0.55
sonst_setzt_es_was 0.6 dann_gnade_dir_gott 0.75 gnade_dir_gott 0.6
dir_wird_noch_was_passieren 0.85 dir_wird_was_passieren 0.65 dir_passiert_noch_was 0.8
sonst_passiert_was 0.6 sonst_passiert_dir_was 0.85 sonst_passiert_euch_was 0.8
du_wirst_es_bereuen 0.45 das_wirst_du_bereuen 0.5 wirst_du_noch_bereuen 0.6
das_wirst_du_büßen 0.75 dafür_wirst_du_büßen 0.8 du_wirst_dafür_büßen 0.8
dafür_wirst_du_bezahlen 0.55 das_wird_dir_noch_leid_tun 0.55 wird_dir_noch_leidtun 0.5
wir_statten_dir_einen_besuch_ab 0.45 statten_dir_mal_einen_besuch_ab 0.55
ich_weiß_wo_deine_kinder 0.85 wo_deine_kinder_zur_schule_gehen 0.85
weiß_wo_deine_familie 0.75 weiß_wo_deine_frau 0.7 weiß_wo_deine_eltern 0.75
ich_weiß_wo_dein_auto 0.6 ich_weiß_wo_du_arbeitest 0.75 deiner_familie_was_antun 0.9
deiner_familie_etwas_antun 0.9 deinen_kindern_was_antun 0.95
deinen_kindern_etwas_antun 0.95 deiner_frau_was_antun 0.9 du_bist_fällig 0.6
ich_krieg_dich_noch 0.6 du_lebst_nicht_mehr_lange 0.85 lebst_nicht_mehr_lange 0.8
du_wirst_bluten 0.85 ihr_werdet_bluten 0.85 es_wird_blut_fließen 0.8
ich_mach_dich_kaputt 0.75 ich_mach_dich_alle 0.75 mach_dich_alle 0.7
ich_schlag_dich_tot 0.95 schlag_dich_tot 0.9 schlag_dir_den_schädel_ein 0.95
schlag_dir_den_kopf_ein 0.95 den_schädel_einschlagen 0.9 ich_stech_dich 0.85
schlitz_dich_auf 0.95 ich_schlitz_dich 0.95 erschieß_dich 0.85 knall_dich_ab 0.95
knall_euch_ab 0.95 knallen_dich_ab 0.95 kugel_in_den_kopf 0.85 kugel_in_den_schädel 0.9
kugel_zwischen_die_augen 0.95 messer_zwischen_die_rippen 0.9 messer_in_den_bauch 0.8
messer_in_den_hals 0.9 ins_krankenhaus_prügeln 0.9 krankenhausreif 0.7
dir_die_beine_brechen 0.85 dir_alle_knochen_brechen 0.9 jeden_knochen_brechen 0.85
brech_dir_das_genick 0.9 breche_dir_das_genick 0.9 ich_bring_dich_ins_grab 0.85
bring_dich_unter_die_erde 0.85 dich_unter_die_erde 0.65 ich_werde_dich_umbringen 0.85
werde_dich_umbringen 0.8 wir_werden_dich_umbringen 0.85 sollte_man_umbringen 0.9
sollte_man_erschlagen 0.9 bring_euch_alle_um 0.95 bringe_euch_alle_um 0.95
ich_töte_dich 0.9 töte_dich_selbst 0.9 wir_töten_euch 0.95 ich_leg_dich_um 0.8
kill_dich 0.85 häng_dich_auf 0.85 bring_dich_doch_um 0.9 bring_dich_selbst_um 0.9
geh_sterben 0.7 geh_doch_sterben 0.75 krepierst 0.8 krepier_doch 0.85
hoffentlich_stirbst_du 0.9 hoffe_du_krepierst 0.95 du_sollst_sterben 0.85
hoffentlich_bekommst_du_krebs 0.95 hoffentlich_kriegst_du_krebs 0.95
hoffe_du_bekommst_krebs 0.95 hoffe_du_kriegst_krebs 0.95 hoffentlich_wirst_du_krank 0.55
hoffe_du_baust_einen_unfall 0.9 hoffentlich_baust_du_einen_unfall 0.9
hoffentlich_verunglückst_du 0.9 hoffe_du_verunglückst 0.9 gehört_totgeschlagen 0.95
gehören_totgeschlagen 0.95 gehört_verprügelt 0.85 gehören_verprügelt 0.85
gehört_vergast 0.99 gehören_vergast 0.99 gehört_gesteinigt 0.95
sollte_man_steinigen 0.95 zünd_dein_haus_an 0.9 zünde_dein_haus_an 0.9
zünden_dein_haus_an 0.9 dein_haus_anzünden 0.9 deine_bude_anzünden 0.9
deinen_laden_anzünden 0.9 dein_auto_anzünden 0.9 zünden_deinen_laden_an 0.9
zünd_deine_bude_an 0.9 deine_bude_abfackeln 0.9 dein_haus_abfackeln 0.9
laden_abfackeln 0.6 benzin_in_den_briefkasten 0.9 mit_säure_überschütten 0.9
mit_säure_übergießen 0.9 mit_dem_baseballschläger_vorbei 0.9
mit_baseballschlägern_vorbei 0.9 i'll_hurt_your_family 0.9 i'll_hurt_your_kids 0.9
we'll_hurt_your_family 0.9 bat_to_your_head 0.9 bat_to_your_knees 0.9
bat_to_your_car 0.85 crowbar_to_your_head 0.9 stick_a_knife_in_you 0.9
deserves_a_bullet_in 0.95 needs_a_bullet_in 0.9
"""

GORE = """
bone_sticking_out 0.85 bones_sticking_out 0.6 bone_poking_out 0.85
bone_poking_through 0.9 bone_protruding 0.85 protruding_bone 0.85 bone_jutting_out 0.9
bone_through_the_skin 0.9 bone_through_his_skin 0.9 bone_through_her_skin 0.9
splintered_bone 0.8 bone_splintered 0.8 shattered_skull 0.85 skull_shattered 0.85
caved_in_skull 0.9 skull_fragments 0.9 pieces_of_skull 0.9 bits_of_skull 0.9
bits_of_brain 0.95 blood_and_brains 0.9 brains_blown_out 0.95 head_blown_off 0.95
face_blown_off 0.95 exposed_brain 0.85 brain_exposed 0.85 throat_was_cut 0.8
throat_slit 0.8 ripped_his_throat 0.85 ripped_her_throat 0.85 blood_gushing 0.8
gushing_blood 0.8 blood_spurting 0.85 spurting_blood 0.85 blood_squirting 0.85
blood_pouring_out 0.75 blood_pouring_from 0.75 in_his_own_blood 0.85
in_her_own_blood 0.85 in_their_own_blood 0.85 on_his_own_blood 0.85 guts_everywhere 0.5
blood_and_gore 0.5 guts_spilling_out 0.95 intestines_spilling 0.95
intestines_hanging 0.95 guts_hanging_out 0.9 organs_spilling 0.95 decomposing_body 0.85
decomposing_bodies 0.85 decomposed_body 0.8 rotting_corpse 0.7 rotting_corpses 0.7
rotting_body 0.8 bloated_corpse 0.85 maggotinfested 0.8 infested_with_maggots 0.8
crawling_with_maggots 0.8 skinned_alive 0.7 flayed 0.6 eviscerat* 0.6 deglov* 0.85
skin_melted_off 0.9 mangled_beyond_recognition 0.9 charred_beyond_recognition 0.85
burned_beyond_recognition 0.75 burnt_beyond_recognition 0.75
disfigured_beyond_recognition 0.85 charred_remains 0.8 hacked_to_death 0.8
hacked_to_pieces 0.9 blown_to_pieces 0.75 body_parts_everywhere 0.95
limbs_everywhere 0.85 limb_from_limb 0.6 torn_limb_from_limb 0.85
ripped_limb_from_limb 0.85 beaten_to_a_pulp 0.65 tortured_to_death 0.75
riddled_with_bullets 0.65 autopsy_photos 0.85 autopsy_pictures 0.85
crime_scene_photos 0.6 photos_of_the_bodies 0.85 pictures_of_the_bodies 0.85
video_of_the_bodies 0.85 execution_video 0.85 snuff_film 0.85 snuff_video 0.9 nsfl 0.7
graphic_content 0.45 knochen_ragte 0.85 knochen_ragten 0.85 knochen_schaute_heraus 0.85
knochen_durch_die_haut 0.85 durch_die_haut_gebohrt 0.85 knochen_brach_durch 0.85
blutfontäne* 0.85 blutgetränkt* 0.6 blutbespritzt* 0.75 blutbesudelt* 0.7
im_eigenen_blut 0.6 in_seinem_eigenen_blut 0.85 in_ihrem_eigenen_blut 0.85 verblut* 0.55
gehirnmasse 0.9 hirnfetzen 0.95 hirnmatsch* 0.9 gehirnmatsch* 0.9 hirn_an_der_wand 0.9
gehirn_an_der_wand 0.9 schädel_eingedrückt 0.85 eingedrückter_schädel 0.9
zertrümmerter_schädel 0.9 zerquetschter_schädel 0.95 gespaltener_schädel 0.9
zerplatzter_schädel 0.95 aufgeplatzter_schädel 0.9 schädelsplitter 0.9
knochensplitter 0.45 zersplitterte_knochen 0.85 zersplitterter_knochen 0.85
gesicht_weggeschossen 0.95 kopf_weggeschossen 0.95 halber_kopf_weg 0.9
aufgeschlitzte_kehle 0.9 aufgeschlitzten_bauch 0.9 abgerissenes_bein 0.85
abgerissener_arm 0.85 abgerissene_beine 0.85 abgerissene_arme 0.85
abgerissene_gliedmaßen 0.9 abgetrennte_gliedmaßen 0.9 abgetrennter_kopf 0.7
abgetrennte_köpfe 0.7 überall_körperteile 0.9 körperteile_überall 0.9
verweste_leiche 0.85 verwesende_leiche 0.85 verweste_leichen 0.85 halb_verwest 0.8
aufgedunsene_leiche 0.85 madenbefallen* 0.8 von_maden_zerfressen 0.85
entstellte_leiche 0.9 verbrannte_leiche 0.85 verbrannte_leichen 0.85
bis_zur_unkenntlichkeit_verbrannt 0.85 bis_zur_unkenntlichkeit_entstellt 0.85
bis_zur_unkenntlichkeit_verstümmelt 0.9 bei_lebendigem_leib_verbrannt 0.9
bei_lebendigem_leibe_verbrannt 0.9 lebendig_verbrannt 0.85 lebendig_gehäutet 0.9
zu_brei_geschlagen 0.85 kopf_zu_brei 0.9 zu_tode_geprügelt 0.6 zu_tode_gefoltert 0.8
in_stücke_gerissen 0.55 von_kugeln_durchsiebt 0.8 mit_kugeln_durchsiebt 0.8
fotos_der_leichen 0.85 bilder_der_leichen 0.85 fotos_von_leichen 0.8
bilder_von_leichen 0.8 leichenfotos 0.85 obduktionsfotos 0.85 hinrichtungsvideo* 0.9
skalpiert 0.65
"""

# Words for the gore rule's two kinds (a body part; an injury) and the threat rule's
# (a wish or call; a violent act).
GORE_BODY = """
skulls femur tibia shinbone jawbone torsos vertebra windpipe jugular bowels eye_socket
schädeldecke kniescheibe schienbein oberschenkel wirbelsäule augenhöhle brustkorb
halsschlagader luftröhre gedärm eingeweide unterkiefer
"""

GORE_INJURY = """
deglov blown_apart blown_to_pieces torn_to_shreds ripped_to_shreds sawed_off sawn_off
sheared_off weggeschoss weggesprengt auseinandergerissen in_stücke_gerissen ragte_heraus
ragten_heraus ragte_raus ragten_raus ragte_aus ragten_aus herausgequoll
"""

THREAT_WISH = """
wish_someone_would wish_somebody_would somebody_should somebody_needs_to i_pray möge_er
möge_sie mögest_du
"""

THREAT_ACT = """
shot_dead gunned_down lynched set_on_fire throw_acid mowed_down die_slowly die_painfully
kneecapped tarred_and_feathered curb_stomp curbstomp shot_in_the_head bludgeon
choke_to_death choked_to_death pushed_in_front run_off_the_road thrown_off_a_bridge
thrown_off_a_roof thrown_off_a_cliff beaten_senseless kicked_to_death stomped_to_death
beheaded decapitated dismembered disembowel gas_chamber bashed_in run_him_over
run_her_over run_you_over hacked_to_death hacked_to_pieces abgestochen erstochen
totgeprügelt totgetreten krankenhausreif abgeknallt gelyncht gesteinigt vergast erhängt
gehängt hingerichtet in_die_luft_gesprengt zu_tode_geprügelt zu_tode_getreten erdrossel
kaltgemacht abgemurkst umgenietet verunglückst ins_krankenhaus_geprügelt
"""

# 2026-12-02: the families the third pair of writers (``bench/crisis/third/``, tuning data)
# found missing: UK and Austrian/Swiss/Bavarian/Ruhr phrasings, menaces without a violent
# word, gore in staff updates, sexual euphemisms, hate codes. Written as families, not as
# the posts' own sentences, then cut back after a review with 144 harmless posts written
# to trip them: "spit or swallow" (wine tastings), "dripping wet" (rain), "big cock"
# (roosters), "Morgenlatte" (a coffee pun), "guts out" (a race), "insides out" (laundry),
# "skin slid off" (blanched tomatoes), "Hautfetzen" (manicure), "Knochen blank" (Haxe),
# "wog" (German: weighed), "bellend" (German: barking), "fikk" (Norwegian), "see what
# happens to the dough", "Stein durchs Fenster" (a pizza oven), "stech ich dich"
# (Schafkopf), "wat inne Fresse" (Ruhr: something to eat), "helping migrants out".
# Ambiguous entries stay below 0.7, where a calm post scales them under the flag.
SEXUAL += """
at_it_like_rabbits 0.6 dripping_wet_for 0.8 dripping_wet 0.6 no_knickers_on 0.7
no_knickers 0.6 without_knickers 0.6 no_panties 0.65 ohne_höschen 0.65 my_dick_out 0.9
with_my_dick 0.9 his_dick_out 0.9 schwanz_raus 0.8 whip_it_out 0.55
off_me_with_your_tongue 0.9 morgenlatte 0.55 spritzt_dir_in_den_mund 0.95
in_den_mund_spritzen 0.95 ins_gesicht_spritzen 0.9 reit_di 0.85 reit_dich 0.85
reite_dich 0.85 nackt_auf_die_theke 0.75 naked_on_the_counter_for 0.8
luscht_uf_e_nummer 0.85 eine_nummer_schieben 0.85 schnelle_nummer_im 0.7
ich_leck_dich 0.85 ich_lecke_dich 0.85 leck_dich_so_lange 0.9 lick_you_until 0.9
lick_you_till 0.9 am_lütischte_stöhnt 0.65 blase_üwe 0.9 blasen_üben 0.85
bock_auf_nen_dreier 0.9 bock_auf_einen_dreier 0.9 lust_auf_einen_dreier 0.9
up_for_a_threesome 0.9 keen_for_a_root 0.85 up_for_a_root 0.85 private_cam_session 0.9
private_cam_show 0.9 streams_topless 0.8 handentspannung 0.85
on_your_knees_under_the_desk 0.95 under_the_desk,_mouth_full 0.95 mouth_full 0.3
gesicht_neistecken 0.7 gesicht_reinstecken 0.65
"""

GORE += """
coughing_up_blood_and 0.8 coughing_up_blood 0.55 bits_of_lung 0.9 bits_of_brain 0.95
bits_of_skull 0.9 bits_of_nail_and 0.85 bits_of_bone 0.8 guts_were_out 0.8
guts_all_over_the 0.9 eye_out_of_its_socket 0.9 eye_hanging_out 0.9 eye_burst 0.85
eyeball_burst 0.9 augapfel_ausläuft 0.9 augapfel_lief_aus 0.9 auge_aus_der_höhle 0.9
aus_der_augenhöhle 0.85 zähne_liegen_auf 0.8 zähne_aufm_boden 0.85 zähne_auf_dem_boden 0.8
teeth_on_the_pavement 0.85 hingen_nur_noch_an_hautfetzen 0.95 blut_und_knochensplitter 0.9
knochensplitter_überall 0.9 schädelknochen_blank 0.9 schädelknoche_blank 0.9
scalp_was_peeled 0.9 scalp_peeled 0.9 skin_bubbled_up_and 0.8 slid_off_her_cheek 0.9
slid_off_his_cheek 0.9 cheek_slid_down 0.9 crushed_his_ribcage 0.9 crushed_her_ribcage 0.9
crushed_his_chest 0.85 crushed_his_skull 0.95 face_went_through_the_windscreen 0.9
fresse_eingeschlagen 0.85 nase_quer_im_gesicht 0.85 bauch_offen 0.7 bauch_offe 0.7
gedärm_sin 0.9 gedärm 0.8 knoche_stoch 0.9 knochen_stach 0.9 knochen_ragte 0.85
"""

GORE_BODY += """
lung lungs cheek auge kopfhuut augapfel
"""

GORE_INJURY += """
hingen_nur_noch hängt_nur_noch abgrisse abgerissen_worde rausgequoll avjetrennt
ausläuft abblätter
"""

THREAT += """
leave_in_an_ambulance 0.7 leave_in_a_body_bag 0.9 leave_in_a_bodybag 0.9 in_a_body_bag 0.5
im_leichensack 0.6 a_brick_through_their 0.85 a_brick_through_his 0.85
a_brick_through_your 0.85 glass_him 0.85 glass_her 0.85 get_glassed 0.8
stech_ich_dich_ab 0.95 stech_dich_ab 0.95 stech_ich_euch_ab 0.95 stich_ich_dich_ab 0.95
schlag_dir_die_zähne 0.95 schlag_ich_dir_die_zähne 0.95 schlog_da_de_zähnt 0.95
zähne_ausschlagen 0.9 eins_auf_die_fresse 0.85 eine_in_die_fresse 0.85
auf_die_fresse_hauen 0.85 vom_rad_treten 0.85 vom_fahrrad_treten 0.85
mit_dem_baseballschläger 0.5 accidents_happen_to_people_who 0.9
accidents_happen_to_lads_who 0.9 accidents_happen_to_those_who 0.9
only_warning_you're_getting 0.85 this_is_your_only_warning 0.85 with_a_cricket_bat_to 0.7
give_him_a_few_digs 0.85 a_few_digs_from_us 0.85 breaks_his_nose 0.85
put_him_in_the_ground 0.85 put_her_in_the_ground 0.85 put_them_in_the_ground 0.85
in_the_ground._i'll_supply 0.9 supply_the_shovel 0.6 kniescheiben_noch_intakt 0.9
solange_ihre_kniescheiben 0.9 while_your_kneecaps 0.85 nachts_abfangen_und 0.85
beine_brechen 0.75 die_beine_brechen 0.85 nicht_mehr_auf_zwei_beinen 0.9
auf_zwei_beinen_raus 0.85 bring_verbandszeug_mit 0.9 bring_bandages 0.85
deine_ip_und_deine_adresse 0.9 your_ip_and_your_address 0.9 haut_ihm_eine_rein 0.85
hau_ihm_eine_rein 0.85 haut_ihm_kräftig_eine_rein 0.9 torch_the_chambers 0.6
with_them_still_inside 0.85 still_inside._just_saying 0.9 with_the_councillors_still_inside 0.9
"""

THREAT_WISH += """
deserves wer_ihn_sieht wer_sie_sieht whoever_spots anyone_who_spots someone_please
somebody_please
"""

THREAT_ACT += """
a_brick_through glass_him hit_by_a_tram von_der_straßenbahn torch in_the_ground
eine_rein kräftig_eine a_few_digs breaks_his_nose
"""

HATE += """
enoch_was_right 0.5 enoch_was_spot_on 0.5 pakis_out 0.99 follow_the_noses 0.9
irelandfortheirish 0.9 ireland_for_the_irish 0.85 britain_for_the_british 0.85
england_for_the_english 0.85 abschiebeflieger_voll 0.85 abschiebeflieger 0.45
"""

HATE_CLAIMS += """
out_of_britain out_of_england out_of_the_uk out_of_europe out_of_germany out_of_our_land
raus_aus_deutschland raus_aus_europa raus_aus_unserem every_last_one bedienen_wir_nicht
bedienen_wir_keine we_don't_serve we_no_longer_serve kein_zutritt_für kein_ausschank
back_on_the_boat
"""

SLURS = """
wogs 0.9 tschusch* 0.85 tschingg* 0.85 chinki 0.9 chinkis 0.9 knacker 0.7 knackers 0.7
currymuncher* 0.95 curry_muncher 0.95 fidschis 0.9
"""

PROFANITY = """
figg_di 0.9 fick_di 0.9 fikken 0.85 madarchod 0.95 bhenchod 0.95 behenchod 0.95
fukn 0.85 fukin 0.85 fuking 0.85 fukkin 0.85 cnut 0.85 mutherfukka* 0.95
motherfukka* 0.95 mothafucka* 0.95 vollwichser 0.9
"""

# 2026-12-02, fifth round (``bench/crisis/fifth/``, tuning data; a writer asked for the
# cases word lists find hardest), after a second review with 186 harmless posts (a first
# draft deleted 84 of them). Taken out again: "rode me" (home on her bike), "know what to
# do" / "was zu tun ist" (first aid, missing dogs), "where you sit" (season tickets),
# "which school your kids", "which estate" (agents), "didn't make it home" (parcels),
# "zu Bruch" (cups), "danach fährst du nicht mehr ohne" (e-bikes), "Erstickungsgefahr",
# a Stanley knife (unboxing), "bled out" (ink), "nur noch Brei" (bananas), "came away",
# "tore off", "gespritzt" (Sahne), "Ohr", "like pigeons", "Affenhaus", "Kammerjäger",
# "wie im Zoo", "aren't women" (counter-speech quotes it), gas chambers in the
# Holocaust-joke rule (remembrance names them).
SEXUAL += """
with_his_tongue 0.6 mit_der_zunge 0.5 finishes_you_off 0.6 knees_and_earn_it 0.9
rode_me_so_hard 0.95 ritt_mich 0.6 proper_seeingto 0.55 on_my_cock 0.9 suck_my_cock 0.95
licks_it_clean 0.5 macht_mich_so_hart 0.85 makes_me_so_hard 0.85 ohne_oberteil 0.45
wear_less 0.4 unter_der_schürze_hab 0.4
"""

GORE += """
see_white_skull 0.9 could_see_the_skull 0.9 see_her_skull 0.9 see_his_skull 0.9
hirn_gesehen 0.9 das_hirn_gesehen 0.95 teeth_on_the_bonnet 0.9 gesicht_ist_nur_noch_brei
0.9 blutklumpen 0.7 ohr_halb_abgebissen 0.95 offenem_schädel 0.85 offener_schädel 0.85
blut_gespritzt 0.65 a_good_litre_of_him 0.95 litre_of_him 0.9 tore_half_her_scalp 0.95
tore_half_his_scalp 0.95
"""

THREAT += """
leaving_in_an_ambulance 0.7 put_him_in_hospital 0.85 put_him_in_the_hospital 0.85
put_her_in_hospital 0.85 bremsen_gehen_manchmal 0.45 hope_your_brakes_fail 0.85
hope_your_brakes_go 0.85 brechen_wir_beide_knie 0.95 beide_knie_brechen 0.9
brechen_wir_ihm 0.8 brech_ich_ihm 0.85 use_it_on_a_skull 0.9
"""

THREAT_WISH += """
anyone_who_sees_him whoever_sees_him
"""

HATE += """
pure_people 0.4 for_a_pure_people 0.9 by_our_own_kind 0.4 for_our_own_kind 0.4
they're_replacing_us 0.4 denselben_nachnamen 0.4 the_same_surnames 0.4 same_last_names 0.4
wird_ja_wohl_mal_fragen_dürfen 0.35 darf_man_ja_nix_mehr_sagen 0.3
wird_man_ja_wohl_noch_sagen_dürfen 0.35 just_asking_questions 0.3
"""

HATE_GROUPS += """
rumänisch pride
"""

HATE_CLAIMS += """
ist_ne_krankheit ist_eine_krankheit
"""

# 2026-12-02, second session: plural and compound forms the lists missed (tuning data:
# "ne Horde Sp4sten", "a total clusterfuk"). Sound-alike spellings ("cvnt", "phukin") are
# read back in line.py, not listed.
SLURS += """
spasten 0.9
"""

PROFANITY += """
clusterfuck* 0.85 clusterfuk* 0.85
"""

# 2026-12-02, sixth round (``bench/crisis/sixth/``, tuning data; two writers asked for
# deletes that say it implicitly), cut back after a reviewer's 80 harmless posts (the first
# draft deleted 65). Taken out again: "tops off for" (convertibles), "nix drunter"
# (Backpapier), "ohne Höschen" at full weight (a picture book), "see the bone" (bone china),
# "zähne einzeln" (dental floss), "like hospital food" (a review), "baseball bat" beside
# any hope (a team's new bat), "stand raus" and "durch die Haut" as injury words (a
# sandcastle; "Kälte geht durch die Haut" paired with itself), blood beside "sprayed" or
# "gespritzt" (blood donors, an Austrian Gespritzter). Kept low where an ordinary post can
# use the words alone, so they count only beside the offensive model or a second term.
SEXUAL += """
take_their_tops_off 0.85 take_her_top_off 0.85 take_your_top_off 0.5
hands_wherever_you_like 0.75 swallow_a_lot_more 0.6 swallow_more_than 0.4
threesome 0.6 clothes_optional 0.45 no_clothes 0.35
on_your_knees_begging 0.8 auf_den_knien_serviert 0.8 zieh_nix_drunter 0.6
zieh_nichts_drunter 0.85 ordentlich_ranzunehmen 0.6 ordentlich_rannehmen 0.5
mich_ranzunehmen 0.8 show_you_the_rest_in_person 0.5 treiben_wir's_zu_viert 0.85
treiben_wir's_zu_dritt 0.85
treiben_wir_es_zu_viert 0.85 treiben_wir_es_zu_dritt 0.85
"""

THREAT += """
hope_you_like_hospital_food 0.9 be_limping_for 0.6 zähne_einzeln_aufsammeln 0.85
zähne_einzeln_vom 0.85 zähne_aufsammeln 0.85 burn_it_down_with_them 0.95 with_them_inside 0.5
sollte_nachts_nicht_mehr_allein 0.85 solltest_nachts_nicht_mehr_allein 0.85
bis_die_nase_bricht 0.8 bis_der_kiefer_bricht 0.6 until_your_nose_breaks 0.8
erwischt_dich_mal_einer_im_dunkeln 0.85 wenn_dich_mal_einer_im_dunkeln_erwischt 0.85
"""

GORE += """
skin_peeling_off 0.4 peeling_off_in_sheets 0.4 see_the_tendon 0.6 smear_of_blood 0.75
what_was_left_of_his_face 0.9 what_was_left_of_her_face 0.9 what_was_left_of_his_head 0.9
what_was_left_of_her_head 0.9 what_was_left_of_the_body 0.85 brustkorb_eingedrückt 0.45
schädel_eingedrückt 0.85 knochen_stand_raus 0.85 knochen_stand_heraus 0.85
knochen_durch_die_haut 0.85 rippen_durch_die_haut 0.85 blut_gespuckt 0.6 blood_spurted 0.6
"""

HATE += """
the_jq 0.5 jewish_question 0.85 judenfrage 0.9 stop_the_breeding 0.5 back_to_the_dinghy 0.4
the_boat_you_came_in_on 0.5 the_dinghy_you_came_in_on 0.5 go_back_to_the_boat_you_came 0.85
go_back_to_the_dinghy_you_came 0.85 clown_world 0.3 honk_honk 0.2
"""

SLURS += """
fagbucket* 0.9 kanakin* 0.95
"""

PROFANITY += """
wichsa 0.9 leckts_mi_am_oasch 0.9 leck_mi_am_oasch 0.9 g'schissen* 0.7
"""
# 2026-12-02, seventh round (``bench/crisis/seventh/``, tuning data): plain words only.
SEXUAL += "jerking_each_other_off 0.9 jerk_each_other_off 0.9 sit_on_your_face 0.85\n"
THREAT += "cave_your_skull_in 0.9 cave_his_skull_in 0.9 cave_her_skull_in 0.9\n"
SLURS += "schlitzaach* 0.95 schlitzaug* 0.95\n"
