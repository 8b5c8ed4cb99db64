package dev.canalboot.ha;

/** What an election tells the source it elects for. Called on the election's threads; must return quickly. */
interface ElectionListener {

    void elected();

    void deposed(String reason);
}
